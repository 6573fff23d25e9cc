"""Show aware instants as wall-clock times in a named zone, labelled with that zone."""
from datetime import datetime
from zoneinfo import ZoneInfo


def format_in_zone(moment: datetime, zone: str) -> str:
    """Return e.g. 'Monday 30 March 2026, 09:00 CEST (Europe/Rome)'."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%A %-d %B %Y, %H:%M} {local:%Z} ({zone})"


def format_span(start: datetime, end: datetime, zone: str) -> str:
    """Return e.g. 'Monday 30 March 2026, 09:00–10:00 CEST (Europe/Rome)'."""
    tz = ZoneInfo(zone)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    if local_start.date() != local_end.date():
        return f"{format_in_zone(start, zone)} – {format_in_zone(end, zone)}"
    return f"{local_start:%A %-d %B %Y, %H:%M}–{local_end:%H:%M} {local_end:%Z} ({zone})"


def format_short(moment: datetime, zone: str) -> str:
    """Return e.g. 'Mon 30 Mar 2026 09:00 CEST' for subject lines."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%a %-d %b %Y %H:%M %Z}"


def zoned_spans(start: datetime, end: datetime, client_zone: str, business_zone: str) -> list[str]:
    """Return the span in the client's zone, then in the business zone when it differs."""
    zones = dict.fromkeys([client_zone, business_zone])
    return [format_span(start, end, zone) for zone in zones]
