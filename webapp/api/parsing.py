"""Turn API request bodies into service requests, with field-by-field messages."""
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from webapp.i18n import current_language
from webapp.mail.language import LANGUAGES, supported
from webapp.scheduling import NonexistentTimeError, get_zone, is_valid_zone, local_to_utc
from webapp.services.bookings import BookingRequest, validate_request
from webapp.services.errors import ValidationFailed
from webapp.services.validation import YEARS, FieldErrors

#: the longest availability range one request may ask for
MAX_RANGE_DAYS = 93
TEXT_FIELDS = ("client_name", "client_email", "client_phone", "client_company", "service_type",
               "title", "description", "timezone", "meeting_provider", "client_notes", "host", "locale")
BOOKING_FIELDS = (*TEXT_FIELDS, "scheduled_at", "duration_minutes", "marketing_consent")
AVAILABILITY_FIELDS = ("start_date", "end_date", "service_type", "timezone", "host")
CANCEL_FIELDS = ("cancellation_reason",)


def _no_constants(name: str):
    """Refuse NaN and Infinity, which are not JSON."""
    raise ValueError(f"{name} is not valid JSON")


def json_object() -> dict:
    """Return the body as a JSON object: 415 if it is not JSON, 400 if malformed, 422 if no object.

    Every API POST goes through here, so none is accepted without Content-Type: application/json
    (which a cross-site form or a bare no-cors request cannot send).
    """
    if not request.is_json:
        raise UnsupportedMediaType(_("Send a JSON body with Content-Type: application/json."))
    try:
        data = json.loads(request.get_data(cache=True), parse_constant=_no_constants)
    except (ValueError, RecursionError):
        raise BadRequest(_("The body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise ValidationFailed(_("The body must be a JSON object."), {"body": _("Send a JSON object.")})
    return data


def _unknown(errors: FieldErrors, data: dict, known: tuple[str, ...]) -> None:
    """Refuse fields the API does not take (such as `status` or `id`), naming them."""
    for name in data:
        if name not in known:
            errors[name[:100]] = _("Unknown field; it cannot be set through the API.")


def _instant(errors: FieldErrors, name: str, value, zone_name: str | None,
             *, bare_date: str | None = "start") -> datetime | None:
    """Parse an ISO date-time, local to `zone_name` unless it has an offset; return aware UTC.

    A bare date means the start of that day (`bare_date="start"`), the end of it ("end"),
    or is refused (None).
    """
    text = value.strip() if isinstance(value, str) else ""
    try:
        parsed = datetime.fromisoformat(text) if 0 < len(text) <= 64 else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.year not in YEARS or (bare_date is None and len(text) <= 10):
        errors[name] = (_("Give an ISO 8601 date-time such as 2025-11-05T09:00:00. Years 1970 to 2100.")
                        if bare_date is None else
                        _("Give a date (YYYY-MM-DD) or an ISO 8601 date-time. Years 1970 to 2100."))
        return None
    if parsed.tzinfo is not None:
        return parsed.astimezone(timezone.utc)
    if zone_name is None:
        return None  # the zone's own error is already reported
    if bare_date == "end" and len(text) <= 10:
        parsed += timedelta(days=1)
    try:
        return _wall_to_utc(parsed, zone_name)
    except NonexistentTimeError:
        errors[name] = _("%(time)s does not exist in %(zone)s (the clocks skip it); choose another time.",
                         time=text, zone=zone_name)
        return None


@lru_cache(maxsize=1024)
def _wall_to_utc(wall: datetime, zone_name: str) -> datetime:
    """Return a wall time in a zone as aware UTC (`local_to_utc`), remembered: clients ask for the
    same days again and again. A time that does not exist raises, and is not remembered."""
    return local_to_utc(wall, get_zone(zone_name))


def _zone(errors: FieldErrors, value, default: str) -> str | None:
    """Return the IANA zone named in the body (or the default), or None if it is not one."""
    if value is None:
        return default
    if not is_valid_zone(value):
        errors["timezone"] = _("Unknown time zone; use an IANA name such as Europe/Rome.")
        return None
    return value


def booking_request(data: dict, default_zone: str, now: datetime) -> BookingRequest:
    """Return the service request a POST /bookings body asks for, or raise ValidationFailed.

    When the body's shape is wrong, the service's own checks still run on the rest, so
    the answer names every bad field at once.
    """
    errors = FieldErrors()
    _unknown(errors, data, BOOKING_FIELDS)
    zone = _zone(errors, data.get("timezone"), default_zone)
    start = _instant(errors, "scheduled_at", data.get("scheduled_at"), zone, bare_date=None)
    duration = data.get("duration_minutes")
    if duration is not None and (type(duration) is not int or not 0 < duration < 10_000):
        errors["duration_minutes"] = _("Give the duration as a whole number of minutes.")
    for name in TEXT_FIELDS:
        if data.get(name) is not None and not isinstance(data[name], str):
            errors[name] = _("Must be text.")
    locale = data.get("locale") if "locale" not in errors else None
    if locale is not None and not supported(locale):
        errors["locale"] = _("Choose one of: %(choices)s.", choices=", ".join(LANGUAGES))
    consent = data.get("marketing_consent", False)
    if consent is not None and type(consent) is not bool:
        errors["marketing_consent"] = _("Give true or false.")
    texts = {name: data.get(name) if name not in errors else None
             for name in TEXT_FIELDS if name not in ("timezone", "locale")}
    req = BookingRequest(scheduled_at=start or now + timedelta(days=1), timezone=zone or default_zone,
                         duration_minutes=None if "duration_minutes" in errors else duration,
                         marketing_consent=consent is True,
                         locale=supported(locale) or current_language(), **texts)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."),
                               {**_service_errors(req, now, skip="scheduled_at" if start is None else None),
                                **errors})
    return req


def _service_errors(req: BookingRequest, now: datetime, skip: str | None) -> dict:
    """Return the booking rules' complaints about `req`, except those about `skip`."""
    try:
        validate_request(req, now)
    except ValidationFailed as exc:
        return {name: message for name, message in exc.fields.items() if name != skip}
    return {}


@dataclass(frozen=True)
class AvailabilityQuery:
    """What a POST /calendar/availability body asks for."""

    start: datetime
    end: datetime
    #: the zone the answer's dates and slot times are given in
    zone: str
    service_type: str | None
    #: a host's slug: that host's own free times; None: each type's hosts combined
    host: str | None = None

    @property
    def days(self) -> list[date]:
        """Return the local dates the range touches, in order."""
        zone = get_zone(self.zone)
        first = self.start.astimezone(zone).date()
        last = (self.end - timedelta(microseconds=1)).astimezone(zone).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def availability_query(data: dict, default_zone: str) -> AvailabilityQuery:
    """Return the range an availability body asks for, or raise ValidationFailed."""
    errors = FieldErrors()
    _unknown(errors, data, AVAILABILITY_FIELDS)
    zone = _zone(errors, data.get("timezone"), default_zone)
    start = _instant(errors, "start_date", data.get("start_date"), zone)
    end = _instant(errors, "end_date", data.get("end_date"), zone, bare_date="end")
    service_type = data.get("service_type")
    for name in ("service_type", "host"):
        if data.get(name) is not None and not isinstance(data[name], str):
            errors[name] = _("Must be text.")
    if start and end and end <= start:
        errors["end_date"] = _("The end must be after the start.")
    elif start and end and end - start > timedelta(days=MAX_RANGE_DAYS):
        errors["end_date"] = _("Ask for at most %(days)s days at a time.", days=MAX_RANGE_DAYS)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), dict(errors))
    return AvailabilityQuery(start, end, zone, service_type, data.get("host"))


def cancel_reason(data: dict) -> str | None:
    """Return the cancellation reason of a cancel body, refusing other fields."""
    errors = FieldErrors()
    _unknown(errors, data, CANCEL_FIELDS)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), dict(errors))
    return data.get("cancellation_reason")


def local_iso(instant: datetime, zone_name: str) -> str:
    """Return `instant` as a naive ISO wall time in `zone_name`, as the seed shows times."""
    return instant.astimezone(get_zone(zone_name)).replace(tzinfo=None).isoformat()


def utc_iso(instant: datetime | None) -> str | None:
    """Return an instant as ISO UTC with a Z, to the second."""
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if instant else None

