"""Bookings written into a Google calendar (Calendar API v3 events) or a Microsoft 365 one (Graph events).

The caller passes `call(method, path, *, json=None, params=None, missing_ok=False)`: an
authorised JSON client of the connected account that raises SourceError (with the HTTP
status) and answers None for a 404/410 when `missing_ok`. Writes are safe to repeat: a
Google event's id is derived from the booking's reference and the calendar (an insert that
finds it answers 409 and the event is patched instead), and a Graph create carries a
`transactionId` derived the same way, which Graph uses to answer a repeated create with the
first event. An erased
booking's event is reworded by a PATCH of its words only (summary/description, subject/body).
"""
import base64
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from webapp.calendars.fetch import SourceError
from webapp.calendars.freebusy import graph_time, rfc3339
from webapp.calendars.write import OwnEvent, own_uid

Call = Callable[..., dict | None]
#: Google's private extended property naming the booking (its reference)
GOOGLE_PROPERTY = "studiocentosBooking"
#: Graph's single-value extended property naming the booking: `String {GUID} Name <name>`
GRAPH_PROPERTY = "String {be3c00c1-8d9d-450b-9310-708ca7320685} Name StudiocentosBooking"
#: Google sends no invitations or updates of its own (the product emails the client)
_NO_GOOGLE_EMAILS = {"sendUpdates": "none"}
#: the Microsoft calendar name meaning the mailbox's default calendar
GRAPH_DEFAULT_CALENDAR = "default"


@dataclass(frozen=True)
class Written:
    """Where the event now is: its remote id and the UID its calendar's iCalendar export shows."""

    event_id: str
    ical_uid: str | None


def google_event_id(reference: str, calendar_id: str) -> str:
    """Return the Google event id of a booking's event in a calendar: base32hex ([0-9a-v]) of a hash, 52 chars.

    The calendar is part of it, so a booking moved to another calendar never meets its old event's id.
    """
    digest = hashlib.sha256(f"calendar-sync:{own_uid(reference)}:{calendar_id}".encode()).digest()
    return base64.b32hexencode(digest).decode().rstrip("=").lower()


def google_put(call: Call, calendar_id: str, own: OwnEvent, event_id: str | None) -> Written:
    """Create or update the booking's event in a Google calendar; return where it is."""
    events = f"/calendars/{_segment(calendar_id)}/events"
    body = _google_fields(own)
    if event_id:
        answer = call("PATCH", f"{events}/{_segment(event_id)}", json=body, params=_NO_GOOGLE_EMAILS,
                      missing_ok=True)
        if answer is not None:
            return Written(answer["id"], answer.get("iCalUID"))
    event_id = event_id or google_event_id(own.reference, calendar_id)
    try:
        answer = call("POST", events, json={"id": event_id, **body}, params=_NO_GOOGLE_EMAILS)
    except SourceError as exc:
        if exc.status != 409:  # 409: it exists (a repeat whose first answer was lost)
            raise
        answer = call("PATCH", f"{events}/{_segment(event_id)}", json=body, params=_NO_GOOGLE_EMAILS)
    return Written(answer["id"], answer.get("iCalUID"))


def google_reword(call: Call, calendar_id: str, own: OwnEvent, event_id: str) -> bool:
    """Replace the summary and description of a Google event, nothing else; False if it is gone.

    The patch names no status, so an event the owner deleted stays deleted.
    """
    answer = call("PATCH", f"/calendars/{_segment(calendar_id)}/events/{_segment(event_id)}",
                  json=_google_words(own), params=_NO_GOOGLE_EMAILS, missing_ok=True)
    return answer is not None


def google_delete(call: Call, calendar_id: str, reference: str, event_id: str | None) -> None:
    """Delete the booking's event from a Google calendar (already gone: 404/410, done)."""
    event_id = event_id or google_event_id(reference, calendar_id)
    call("DELETE", f"/calendars/{_segment(calendar_id)}/events/{_segment(event_id)}",
         params=_NO_GOOGLE_EMAILS, missing_ok=True)


def graph_put(call: Call, calendar_id: str, own: OwnEvent, event_id: str | None) -> Written:
    """Create or update the booking's event in a Microsoft 365 calendar; return where it is.

    A stored event the owner deleted (404) is created again, under a transaction id of its
    own so Graph does not answer with the deleted one; so is an event for another calendar.
    """
    body = _graph_fields(own)
    if event_id:
        answer = call("PATCH", f"/me/events/{_segment(event_id)}", json=body, missing_ok=True)
        if answer is not None:
            return Written(answer["id"], answer.get("iCalUId"))
    events = ("/me/calendar/events" if calendar_id == GRAPH_DEFAULT_CALENDAR
              else f"/me/calendars/{_segment(calendar_id)}/events")
    transaction = uuid.uuid5(uuid.NAMESPACE_URL, f"{own_uid(own.reference)}:{calendar_id}:{event_id or ''}")
    answer = call("POST", events, json={
        **body, "transactionId": str(transaction),
        "singleValueExtendedProperties": [{"id": GRAPH_PROPERTY, "value": own.reference}]})
    return Written(answer["id"], answer.get("iCalUId"))


def graph_reword(call: Call, own: OwnEvent, event_id: str) -> bool:
    """Replace the subject and body of a Microsoft 365 event, nothing else; False if it is gone."""
    return call("PATCH", f"/me/events/{_segment(event_id)}", json=_graph_words(own), missing_ok=True) is not None


def graph_delete(call: Call, event_id: str | None) -> None:
    """Delete the booking's event from Microsoft 365 (none stored, or already gone: done)."""
    if event_id:
        call("DELETE", f"/me/events/{_segment(event_id)}", missing_ok=True)


def _google_fields(own: OwnEvent) -> dict:
    """Return the Google Event fields of a booking's event (confirmed: a patch revives a deleted one)."""
    return {**_google_words(own), "status": "confirmed",
            "transparency": "opaque", "start": {"dateTime": rfc3339(own.start), "timeZone": "UTC"},
            "end": {"dateTime": rfc3339(own.end), "timeZone": "UTC"},
            "extendedProperties": {"private": {GOOGLE_PROPERTY: own.reference}}}


def _graph_fields(own: OwnEvent) -> dict:
    """Return the Graph event fields of a booking's event."""
    return {**_graph_words(own), "start": graph_time(own.start), "end": graph_time(own.end), "showAs": "busy"}


def _google_words(own: OwnEvent) -> dict:
    """Return what a Google event says of the booking: its summary and description."""
    return {"summary": own.summary, "description": own.description}


def _graph_words(own: OwnEvent) -> dict:
    """Return what a Graph event says of the booking: its subject and body."""
    return {"subject": own.summary, "body": {"contentType": "text", "content": own.description}}


def _segment(value: str) -> str:
    """Quote an id as one URL path segment (Graph ids hold '/', '+' and '=')."""
    return quote(str(value), safe="")
