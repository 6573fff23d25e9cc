"""Bookings written into a CalDAV calendar: the event, its PUT (create or replace), its rewording and its DELETE."""
from dataclasses import dataclass
from datetime import datetime, timezone

import caldav
from icalendar import Calendar, Event

from webapp.calendars.busy import OWN_EVENT_PROPERTY, OWN_UID_PREFIX
from webapp.calendars.fetch import DEFAULT_TIMEOUT, CalDavAccount, SourceError

PRODID = "-//StudiocentOS//Booking calendar sync//EN"


def own_uid(reference: str) -> str:
    """Return the UID of a booking's event (from its public reference: it opens nothing)."""
    return f"{OWN_UID_PREFIX}{reference}"


@dataclass(frozen=True)
class OwnEvent:
    """What a booking's event says in the host's calendar, whichever kind of calendar it is."""

    #: the booking's public reference (`ref-…`): it marks the event as ours and opens nothing
    reference: str
    summary: str
    description: str
    start: datetime
    end: datetime
    #: the booking's version (iCalendar SEQUENCE)
    sequence: int


def booking_event(own: OwnEvent, now: datetime) -> bytes:
    """Return the VCALENDAR of a booking's event, marked as ours so it never blocks itself."""
    event = Event()
    event.add("uid", own_uid(own.reference))
    event.add("dtstamp", now.astimezone(timezone.utc))
    event.add("dtstart", own.start.astimezone(timezone.utc))
    event.add("dtend", own.end.astimezone(timezone.utc))
    event.add("sequence", own.sequence)
    event.add("summary", own.summary)
    event.add("description", own.description)
    event.add(OWN_EVENT_PROPERTY, own.reference)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return calendar.to_ical()


def put_event(account: CalDavAccount, calendar_name: str, ical: bytes, *,
              timeout: float = DEFAULT_TIMEOUT) -> None:
    """Create or replace the event (same UID, same resource) in the named calendar."""
    _call(account, timeout, lambda calendar: calendar.save_event(ical.decode()), calendar_name)


def reword_event(account: CalDavAccount, calendar_name: str, uid: str, summary: str, description: str, *,
                 timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Replace the SUMMARY and DESCRIPTION of the event with `uid`, keeping the rest; False if it is gone."""
    def reword(calendar) -> bool:
        """Rewrite the event's words in place (same resource, same SEQUENCE) if it exists."""
        try:
            event = calendar.event_by_uid(uid)
        except caldav.lib.error.NotFoundError:
            return False
        component = event.icalendar_component
        for name, value in (("summary", summary), ("description", description)):
            component.pop(name, None)
            component.add(name, value)
        # a plain PUT of the resource: caldav's save() raises SEQUENCE whatever it is told
        answer = event.client.put(str(event.url), event.data, {"Content-Type": 'text/calendar; charset="utf-8"'})
        if answer.status not in (200, 201, 204):
            raise SourceError(f"the CalDAV server refused the change (HTTP {answer.status})")
        return True
    return _call(account, timeout, reword, calendar_name)


def delete_event(account: CalDavAccount, calendar_name: str, uid: str, *,
                 timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Delete the event with `uid` from the named calendar; False if it was not there."""
    def remove(calendar) -> bool:
        """Delete the event if it exists."""
        try:
            calendar.event_by_uid(uid).delete()
        except caldav.lib.error.NotFoundError:
            return False
        return True
    return _call(account, timeout, remove, calendar_name)


def _call(account: CalDavAccount, timeout: float, action, calendar_name: str):
    """Run `action` on the named calendar of the account; raise SourceError when it fails."""
    try:
        client = caldav.DAVClient(url=account.url, username=account.username or None,
                                  password=account.password or None, timeout=timeout)
        calendars = [c for c in client.principal().calendars()
                     if c.name == calendar_name or str(c.url) == calendar_name]
        if not calendars:
            raise SourceError(f"no calendar called {calendar_name} on the server")
        return action(calendars[0])
    except SourceError:
        raise
    except caldav.lib.error.AuthorizationError as exc:
        raise SourceError("the CalDAV server refused the user name or app password") from exc
    except Exception as exc:  # caldav and requests raise many types; the outbox retries
        raise SourceError(f"the CalDAV server could not be written ({type(exc).__name__})") from exc
