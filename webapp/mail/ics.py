"""Build iTIP (RFC 5546) calendar invites and cancellations for a booking with icalendar."""
from datetime import date, datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress

from webapp.mail.clean import one_line
from webapp.mail.language import SOURCE_LANGUAGE, gettext
from webapp.mail.references import booking_reference

PRODID = "-//StudiocentOS//Booking//EN"
METHODS = {"REQUEST": "CONFIRMED", "CANCEL": "CANCELLED"}
END = b"END:VCALENDAR\r\n"


def event_uid(booking, domain: str) -> str:
    """Return the invite's UID, stable for the booking's whole life; it carries no credential."""
    return f"{booking_reference(booking.uid)}@{domain}"


def build_calendar(
    booking,
    *,
    method: str,
    organizer_email: str,
    organizer_name: str,
    business_timezone: str,
    now: datetime,
    uid_domain: str | None = None,
    language: str = SOURCE_LANGUAGE,
) -> bytes:
    """Return the VCALENDAR (METHOD REQUEST or CANCEL) for `booking` as bytes."""
    if method not in METHODS:
        raise ValueError(f"unsupported iTIP method {method!r}")
    tz = ZoneInfo(business_timezone)
    start, end = booking.scheduled_at.astimezone(tz), booking.ends_at.astimezone(tz)
    domain = uid_domain or organizer_email.rpartition("@")[2]

    event = Event()
    event.add("uid", event_uid(booking, domain))
    event.add("sequence", booking.version)
    event.add("dtstamp", now.astimezone(timezone.utc))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", booking.title)
    event.add("description", _description(booking, language))
    if booking.meeting_url:
        event.add("location", booking.meeting_url)
        event.add("url", one_line(booking.meeting_url))
    event.add("organizer", _address(organizer_email, organizer_name))
    event.add("attendee", _address(
        booking.client_email, booking.client_name,
        ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="TRUE",
    ))
    event.add("status", METHODS[method])

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(event)
    # Zone data for the years around the event only: complete and much smaller; serialised
    # once per process and zone (the same bytes `add_missing_timezones` would add at the end).
    zones = b"".join(_zone_data(tzid, start.year - 1, end.year + 2) for tzid in sorted(calendar.get_missing_tzids()))
    body = calendar.to_ical()
    return body[:-len(END)] + zones + END if zones and body.endswith(END) else body


@lru_cache(maxsize=64)
def _zone_data(tzid: str, first_year: int, last_year: int) -> bytes:
    """Return the VTIMEZONE of `tzid` from 1 January `first_year` to `last_year` as iCalendar
    bytes, built once per process; empty for a zone icalendar does not know."""
    try:
        return Timezone.from_tzid(tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1)).to_ical()
    except ValueError:
        return b""


def _description(booking, language: str = SOURCE_LANGUAGE) -> str:
    """Return the event's notes in the client's language: meeting link first, then what the client wrote."""
    parts = [gettext(language, "Join: %(url)s", url=booking.meeting_url) if booking.meeting_url else "",
             booking.description or "",
             gettext(language, "Notes: %(notes)s", notes=booking.client_notes) if booking.client_notes else ""]
    return "\n\n".join(part for part in parts if part)


def _address(email: str, name: str, **params: str) -> vCalAddress:
    """Return a mailto: calendar address; parameters cannot hold line breaks, so strip them."""
    address = vCalAddress(f"mailto:{one_line(email)}")
    address.params["CN"] = one_line(name)
    address.params.update(params)
    return address
