"""IANA zone validation and explicit handling of DST gaps and overlaps."""
from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import pytz


class NonexistentTimeError(ValueError):
    """A local time skipped by a DST change (spring forward)."""


class AmbiguousTimeError(ValueError):
    """A local time that happens twice (fall back) when the caller forbade choosing."""


def is_valid_zone(name: str) -> bool:
    """Return True if `name` is in the IANA time zone list."""
    return isinstance(name, str) and name in pytz.all_timezones_set


@lru_cache(maxsize=512)
def get_zone(name: str) -> ZoneInfo:
    """Return the zone called `name`, which must be a valid IANA name."""
    if not is_valid_zone(name):
        raise ValueError(f"unknown time zone: {name!r}")
    return ZoneInfo(name)


def local_to_utc(local: datetime, zone: ZoneInfo, *, ambiguous: str = "earlier") -> datetime:
    """Turn a naive wall time in `zone` into aware UTC.

    A wall time that does not exist raises NonexistentTimeError. One that exists twice is
    resolved to the earlier instant ("earlier"), the later ("later"), or refused ("raise").
    """
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    first_utc = first.astimezone(timezone.utc)
    second_utc = second.astimezone(timezone.utc)
    if first_utc.astimezone(zone).replace(tzinfo=None) != local:
        raise NonexistentTimeError(f"{local:%Y-%m-%d %H:%M} does not exist in {zone.key}")
    if first_utc == second_utc:
        return first_utc
    if ambiguous == "raise":
        raise AmbiguousTimeError(f"{local:%Y-%m-%d %H:%M} happens twice in {zone.key}")
    return min(first_utc, second_utc) if ambiguous == "earlier" else max(first_utc, second_utc)
