"""Microsoft Graph v1.0 stub: onlineMeetings createOrGet, update and delete for /me; calendar events; getSchedule."""
from __future__ import annotations

import base64
import re
import secrets
from datetime import datetime, timezone

from tests.stubs import checks
from tests.stubs.server import Reply, ResourceStub, Violation

_FIELDS = {"startDateTime", "endDateTime", "subject", "participants", "chatInfo", "externalId"}
_MEETING = r"/me/onlineMeetings/(?P<meeting>[^/]+)"
_EVENT = r"/me/events/(?P<event>[^/]+)"
#: writable event fields this product may send (the documented event resource has more)
_EVENT_FIELDS = {"subject", "body", "start", "end", "showAs", "transactionId", "singleValueExtendedProperties",
                 "isReminderOn", "location", "categories", "sensitivity", "importance", "isAllDay"}
#: a single-value extended property's id: `<type> {GUID} Name <name>` (or `Id 0x…`)
_PROPERTY_ID = re.compile(r"^(String|Integer|Boolean|SystemTime|Double|Binary) "
                          r"\{[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\} (Name \S+|Id 0x[0-9a-fA-F]+)$")
#: the id of the mailbox's default calendar (`/me/calendar`)
DEFAULT_CALENDAR = "AAMkAGI2-default-calendar=="


class GraphStub(ResourceStub):
    """Keeps online meetings by id and by externalId (createOrGet's key)."""

    routes = (
        ("POST", r"/me/onlineMeetings/createOrGet", "create_or_get"),
        ("GET", _MEETING, "get_meeting"),
        ("PATCH", _MEETING, "update"),
        ("DELETE", _MEETING, "delete_meeting"),
        ("POST", r"/me/calendar/getSchedule", "get_schedule"),
        ("POST", r"/me/calendar/events", "create_event"),
        ("POST", r"/me/calendars/(?P<calendar>[^/]+)/events", "create_event"),
        ("PATCH", _EVENT, "update_event"),
        ("DELETE", _EVENT, "delete_event"),
    )

    def __init__(self, token: str = "graph-access-token", mailbox: str = "owner@studio.example"):
        super().__init__(token)
        #: getSchedule's answer: mailbox address -> [(status, start, end)], UTC "YYYY-MM-DDTHH:MM:SS"
        self.schedule_items: dict[str, list[tuple[str, str, str]]] = {}
        #: the signed-in user's address: getSchedule on it shows their calendars' events too
        self.mailbox = mailbox
        #: the user's calendars by id (the default one always exists)
        self.calendars: set[str] = {DEFAULT_CALENDAR}
        #: events by id, and the calendar id each lives in
        self.events: dict[str, dict] = {}
        self.calendar_of: dict[str, str] = {}
        #: every event ever created (deleted ones too: Graph remembers transaction ids)
        self.created: list[dict] = []

    def get_schedule(self, req):
        """calendar: getSchedule: each mailbox's items in the range (times in UTC, as asked)."""
        body = req.json()
        checks.unknown_fields(body, {"schedules", "startTime", "endTime", "availabilityViewInterval"})
        schedules = checks.require(body, "schedules", list)
        if not schedules:
            raise Violation("schedules must name at least one mailbox")
        for address in schedules:
            checks.email(address, "schedules[]")
        for name in ("startTime", "endTime"):
            value = checks.require(body, name, dict)
            checks.unknown_fields(value, {"dateTime", "timeZone"}, name)
            datetime.fromisoformat(checks.require(value, "dateTime", str))
            if checks.require(value, "timeZone", str) != "UTC":
                checks.iana_zone(value["timeZone"], f"{name}.timeZone")
        interval = checks.optional(body, "availabilityViewInterval", int)
        if interval is not None and not 5 <= interval <= 1440:
            raise Violation("availabilityViewInterval must be 5-1440 minutes")
        statuses = {"free", "tentative", "busy", "oof", "workingElsewhere", "unknown"}
        value = []
        for address in schedules:
            items = []
            own = [(e["showAs"], e["start"]["dateTime"], e["end"]["dateTime"]) for e in self.events.values()
                   ] if address == self.mailbox else []
            for status, start, end in [*self.schedule_items.get(address, ()), *own]:
                checks.one_of(status, statuses, "status")
                items.append({"isPrivate": False, "status": status, "subject": "Busy", "location": "",
                              "start": {"dateTime": f"{start}.0000000", "timeZone": "UTC"},
                              "end": {"dateTime": f"{end}.0000000", "timeZone": "UTC"}})
            value.append({"scheduleId": address, "availabilityView": "", "scheduleItems": items,
                          "workingHours": {}})
        return Reply(200, {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#"
                                             "Collection(microsoft.graph.scheduleInformation)", "value": value})

    def error_body(self, status, message):
        code = {401: "InvalidAuthenticationToken", 404: "NotFound", 429: "TooManyRequests"}.get(
            status, "generalException" if status >= 500 else "BadRequest")
        return {"error": {"code": code, "message": message}}

    def create_or_get(self, req):
        body = req.json()
        self._check(body)
        external_id = checks.require(body, "externalId", str)
        existing = next((m for m in self.meetings.values() if m["externalId"] == external_id), None)
        if existing:
            return Reply(200, existing)
        # Real ids are base64 and may hold '/', '+' and '=': clients must quote them in paths.
        meeting_id = base64.b64encode(b"1*stub*0**19:meeting_" + secrets.token_bytes(24)).decode()
        meeting = {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('me')/onlineMeetings/$entity",
            "id": meeting_id, "creationDateTime": _now(), "externalId": external_id,
            "joinWebUrl": "https://teams.microsoft.com/l/meetup-join/19%3ameeting_"
                          f"{secrets.token_hex(16)}%40thread.v2/0",
            "videoTeleconferenceId": str(secrets.randbelow(10**10)),
            "participants": {"organizer": {"upn": "organizer@example.com", "role": "presenter"}},
            **{k: body[k] for k in ("startDateTime", "endDateTime", "subject") if k in body},
        }
        self.meetings[meeting_id] = meeting
        return Reply(201, meeting)

    def update(self, req):
        body = req.json()
        self._check(body)
        if "externalId" in body:
            raise Violation("externalId cannot be updated")
        meeting = self.meetings.get(req.params["meeting"])
        if meeting is None:
            return self.missing(req)
        meeting.update(body)
        return Reply(200, meeting)

    def missing(self, req):
        return Reply(404, self.error_body(404, "The specified meeting was not found."))

    def create_event(self, req):
        """POST /me/calendar/events or /me/calendars/{id}/events; a known transactionId gets its event back."""
        body = req.json()
        self._check_event(body, creating=True)
        calendar = req.params.get("calendar", DEFAULT_CALENDAR)
        if calendar not in self.calendars:
            return Reply(404, {"error": {"code": "ErrorItemNotFound",
                                         "message": "The specified object was not found in the store."}})
        transaction = body.get("transactionId")
        earlier = next((e for e in self.created if transaction and e.get("transactionId") == transaction), None)
        if earlier is not None:
            return Reply(201, earlier)
        event_id = base64.b64encode(b"AAMkAGI2*event*" + secrets.token_bytes(24)).decode()
        event = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('me')/events/$entity",
                 "id": event_id, "iCalUId": "040000008200E00074C5B7101A82E008" + secrets.token_hex(28).upper(),
                 "createdDateTime": _now(), "lastModifiedDateTime": _now(), "showAs": "busy",
                 **{k: v for k, v in body.items() if k != "singleValueExtendedProperties"}}
        self.events[event_id] = event
        self.calendar_of[event_id] = calendar
        self.created.append(event)
        return Reply(201, event)

    def update_event(self, req):
        body = req.json()
        self._check_event(body, creating=False)
        if "transactionId" in body:
            raise Violation("transactionId is set when the event is created")
        event = self.events.get(req.params["event"])
        if event is None:
            return Reply(404, {"error": {"code": "ErrorItemNotFound",
                                         "message": "The specified object was not found in the store."}})
        event.update(body, lastModifiedDateTime=_now())
        return Reply(200, event)

    def delete_event(self, req):
        if req.raw:
            raise Violation("DELETE event takes no body")
        if self.events.pop(req.params["event"], None) is None:
            return Reply(404, {"error": {"code": "ErrorItemNotFound",
                                         "message": "The specified object was not found in the store."}})
        return Reply(204)

    def _check_event(self, body, creating):
        """Check an event body against the documented resource (dateTimeTimeZone, itemBody, …)."""
        checks.unknown_fields(body, _EVENT_FIELDS)
        checks.optional(body, "subject", str)
        times = []
        for name in ("start", "end"):
            value = checks.require(body, name, dict) if creating else checks.optional(body, name, dict)
            if value is not None:
                checks.unknown_fields(value, {"dateTime", "timeZone"}, name)
                times.append(datetime.fromisoformat(checks.require(value, "dateTime", str)))
                if checks.require(value, "timeZone", str) != "UTC":
                    checks.iana_zone(value["timeZone"], f"{name}.timeZone")
        if len(times) == 1:
            raise Violation("start and end must change together")
        if times and times[1] <= times[0]:
            raise Violation("end must be after start")
        item_body = checks.optional(body, "body", dict)
        if item_body is not None:
            checks.unknown_fields(item_body, {"contentType", "content"}, "body")
            checks.one_of(item_body.get("contentType"), {"text", "html"}, "body.contentType")
            checks.require(item_body, "content", str)
        if "showAs" in body:
            checks.one_of(body["showAs"], {"free", "tentative", "busy", "oof", "workingElsewhere", "unknown"},
                          "showAs")
        checks.optional(body, "transactionId", str)
        for prop in checks.optional(body, "singleValueExtendedProperties", list) or ():
            if not isinstance(prop, dict) or set(prop) != {"id", "value"} or not isinstance(prop["value"], str):
                raise Violation("singleValueExtendedProperties[] must be {'id', 'value': str}")
            if not _PROPERTY_ID.match(str(prop["id"])):
                raise Violation(f"extended property id must be '<type> {{GUID}} Name <name>', got {prop['id']!r}")

    def _check(self, body):
        checks.unknown_fields(body, _FIELDS)
        checks.optional(body, "subject", str)
        times = [checks.rfc3339(body[k], k) for k in ("startDateTime", "endDateTime") if k in body]
        if len(times) == 2 and times[1] <= times[0]:
            raise Violation("endDateTime must be after startDateTime")


def _now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
