"""Field checks the stubs apply to request bodies; each raises Violation with a note."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tests.stubs.server import Violation

_RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def require(body: dict, name: str, kind: type | tuple):
    """Return body[name], which must be present and of `kind`."""
    if name not in body:
        raise Violation(f"{name!r} is required")
    return optional(body, name, kind)


def optional(body: dict, name: str, kind: type | tuple):
    """Return body[name] if present (else None), checking it is of `kind`."""
    value = body.get(name)
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool) and kind is int):
        raise Violation(f"{name!r} must be {getattr(kind, '__name__', kind)}, got {value!r}")
    return value


def rfc3339(value, name: str) -> datetime:
    """Parse an RFC 3339 date-time with an explicit offset or Z."""
    if not isinstance(value, str) or not _RFC3339.match(value):
        raise Violation(f"{name!r} must be an RFC 3339 date-time with offset, got {value!r}")
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)


def iana_zone(value, name: str) -> str:
    """Check an IANA time zone name."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise Violation(f"{name!r} must be an IANA time zone, got {value!r}") from exc
    return value


def email(value, name: str) -> str:
    """Check an email address."""
    if not isinstance(value, str) or not _EMAIL.match(value):
        raise Violation(f"{name!r} must be an email address, got {value!r}")
    return value


def one_of(value, choices, name: str):
    """Check a value is one of the documented choices."""
    if value not in choices:
        raise Violation(f"{name!r} must be one of {sorted(choices)}, got {value!r}")
    return value


def unknown_fields(body: dict, allowed: set, where: str = "body") -> None:
    """Reject fields the endpoint does not document (catches typos in field names)."""
    extra = set(body) - allowed
    if extra:
        raise Violation(f"undocumented field(s) in {where}: {sorted(extra)}")
