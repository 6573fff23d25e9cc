"""Google Calendar API v3 stub: events.insert/get/patch/delete (with or without Meet conferences); freebusy.query."""
from __future__ import annotations

import re
import secrets
import string
from datetime import datetime, timezone

from tests.stubs import checks
from tests.stubs.server import Reply, StubServer, Violation

_EVENT_ID = re.compile(r"^[a-v0-9]{5,1024}$")
_EVENTS = r"/calendars/(?P<calendar>[^/]+)/events"
#: writable top-level fields of the Event resource (the API ignores or rejects others)
_EVENT_FIELDS = {
    "id", "summary", "description", "location", "start", "end", "attendees", "conferenceData",
    "reminders", "visibility", "transparency", "colorId", "guestsCanModify",
    "guestsCanInviteOthers", "guestsCanSeeOtherGuests", "extendedProperties", "status",
    "source", "recurrence", "iCalUID", "sequence", "anyoneCanAddSelf", "attachments",
}


class GoogleCalendarStub(StubServer):
    """Keeps events per id; deleted events stay as `cancelled`, as Google's do."""

    routes = (
        ("POST", _EVENTS, "insert"),
        ("GET", _EVENTS + r"/(?P<event>[^/]+)", "get"),
        ("PATCH", _EVENTS + r"/(?P<event>[^/]+)", "patch"),
        ("DELETE", _EVENTS + r"/(?P<event>[^/]+)", "delete"),
        ("POST", r"/freeBusy", "free_busy"),
    )

    def __init__(self, token: str = "google-access-token"):
        super().__init__()
        self.tokens = {token}
        self.events: dict[str, dict] = {}
        #: event id -> the calendar id it was inserted into
        self.calendar_of: dict[str, str] = {}
        #: how many upcoming inserts answer with the conference still `pending`
        self.pending_conferences = 0
        #: freebusy.query's answer: calendar id -> [(start, end)] as RFC 3339 strings
        self.busy: dict[str, list[tuple[str, str]]] = {}

    def error_body(self, status, message):
        reason = {401: "authError", 404: "notFound", 409: "duplicate", 410: "deleted",
                  429: "rateLimitExceeded"}.get(status, "backendError" if status >= 500 else "badRequest")
        return {"error": {"code": status, "message": message,
                          "errors": [{"domain": "global", "reason": reason, "message": message}]}}

    # -- handlers ------------------------------------------------------------------

    def free_busy(self, req):
        """freebusy.query: the busy periods of each asked calendar in [timeMin, timeMax)."""
        body = req.json()
        checks.unknown_fields(body, {"timeMin", "timeMax", "timeZone", "groupExpansionMax",
                                     "calendarExpansionMax", "items"})
        time_min = checks.rfc3339(checks.require(body, "timeMin", str), "timeMin")
        time_max = checks.rfc3339(checks.require(body, "timeMax", str), "timeMax")
        if time_max <= time_min:
            raise Violation("timeMax must be after timeMin")
        if "timeZone" in body:
            checks.iana_zone(body["timeZone"], "timeZone")
        items = checks.require(body, "items", list)
        if not items or any(not isinstance(item, dict) or set(item) != {"id"} for item in items):
            raise Violation("items must be a non-empty list of {'id': calendar id}")
        calendars = {}
        for item in items:
            periods = [(s, e) for s, e in [*self.busy.get(item["id"], ()), *self._busy_events(item["id"])]
                       if checks.rfc3339(s, "start") < time_max and checks.rfc3339(e, "end") > time_min]
            known = item["id"] in self.busy or item["id"] in self.calendar_of.values()
            calendars[item["id"]] = ({"busy": [{"start": s, "end": e} for s, e in sorted(periods)]} if known else
                                     {"busy": [], "errors": [{"domain": "global", "reason": "notFound"}]})
        return Reply(200, {"kind": "calendar#freeBusy", "timeMin": body["timeMin"], "timeMax": body["timeMax"],
                           "calendars": calendars})

    def insert(self, req):
        """events.insert; a Meet conference only when asked with conferenceDataVersion=1."""
        self._check_query(req)
        body = req.json()
        self._check_event(body, creating=True)
        if "iCalUID" in body and "id" in body:
            raise Violation("supply only one of id and iCalUID at event creation")
        create = None
        if "conferenceData" in body:
            if req.query.get("conferenceDataVersion") != "1":
                raise Violation("conferenceDataVersion=1 is required to create a Meet conference")
            create = self._check_create_request(body)
        event_id = body.get("id") or _new_id()
        if event_id in self.events:
            return Reply(409, self.error_body(409, "The requested identifier already exists."))
        event = {k: v for k, v in body.items() if k != "conferenceData"}
        event.update(kind="calendar#event", id=event_id, status=body.get("status", "confirmed"),
                     iCalUID=body.get("iCalUID") or f"{event_id}@google.com",
                     etag=f'"{secrets.randbelow(10**15)}"', created=_now(), updated=_now(),
                     htmlLink=f"https://www.google.com/calendar/event?eid={event_id}")
        if create is not None:
            pending = self.pending_conferences > 0
            self.pending_conferences -= pending
            event["conferenceData"] = _conference(create, pending)
            if not pending:
                event["hangoutLink"] = event["conferenceData"]["entryPoints"][0]["uri"]
        self.events[event_id] = event
        self.calendar_of[event_id] = req.params["calendar"]
        return Reply(200, event)

    def get(self, req):
        self._check_query(req)
        event = self._event(req)
        if event is None:
            return Reply(404, self.error_body(404, "Not Found"))
        self._finish_pending(event)
        return Reply(200, event)

    def patch(self, req):
        self._check_query(req)
        body = req.json()
        self._check_event(body, creating=False)
        if "id" in body or "iCalUID" in body:
            raise Violation("an event's id and iCalUID cannot be changed")
        event = self._event(req)
        if event is None:
            return Reply(404, self.error_body(404, "Not Found"))
        event.update({k: v for k, v in body.items() if k != "conferenceData"})
        event["updated"] = _now()
        return Reply(200, event)

    def delete(self, req):
        self._check_query(req)
        if req.raw:
            raise Violation("events.delete takes no body")
        event = self._event(req)
        if event is None:
            return Reply(404, self.error_body(404, "Not Found"))
        if event["status"] == "cancelled":
            return Reply(410, self.error_body(410, "Resource has been deleted"))
        event["status"] = "cancelled"
        return Reply(204)

    def _event(self, req) -> dict | None:
        """Return the path's event if it lives in the path's calendar."""
        event_id = req.params["event"]
        if self.calendar_of.get(event_id, "primary") != req.params["calendar"]:
            return None
        return self.events.get(event_id)

    def _busy_events(self, calendar_id: str) -> list[tuple[str, str]]:
        """Return the (start, end) of the calendar's events that make it busy (opaque, not cancelled)."""
        return [(_utc(e["start"]["dateTime"]), _utc(e["end"]["dateTime"])) for event_id, e in self.events.items()
                if self.calendar_of.get(event_id) == calendar_id and e.get("status") != "cancelled"
                and e.get("transparency", "opaque") == "opaque" and "dateTime" in e.get("start", {})]

    # -- checks --------------------------------------------------------------------

    def _check_query(self, req):
        send_updates = req.query.get("sendUpdates")
        if send_updates is not None:
            checks.one_of(send_updates, {"all", "externalOnly", "none"}, "sendUpdates")
        if req.query.get("conferenceDataVersion") not in (None, "0", "1"):
            raise Violation("conferenceDataVersion must be 0 or 1")

    def _check_event(self, body, creating):
        checks.unknown_fields(body, _EVENT_FIELDS)
        if "id" in body and not _EVENT_ID.match(str(body["id"])):
            raise Violation(f"event id must be 5-1024 chars of [a-v0-9], got {body['id']!r}")
        checks.optional(body, "summary", str)
        checks.optional(body, "description", str)
        times = {}
        for name in ("start", "end"):
            value = checks.require(body, name, dict) if creating else checks.optional(body, name, dict)
            if value is not None:
                times[name] = checks.rfc3339(value.get("dateTime"), f"{name}.dateTime")
                if "timeZone" in value:
                    checks.iana_zone(value["timeZone"], f"{name}.timeZone")
        if len(times) == 1:
            raise Violation("start and end must change together")
        if times and times["end"] <= times["start"]:
            raise Violation("end must be after start")
        for attendee in checks.optional(body, "attendees", list) or ():
            checks.email(attendee.get("email"), "attendees[].email")
            checks.optional(attendee, "displayName", str)
        if "status" in body:
            checks.one_of(body["status"], {"confirmed", "tentative", "cancelled"}, "status")
        if "transparency" in body:
            checks.one_of(body["transparency"], {"opaque", "transparent"}, "transparency")
        properties = checks.optional(body, "extendedProperties", dict)
        if properties is not None:
            checks.unknown_fields(properties, {"private", "shared"}, "extendedProperties")
            for scope, values in properties.items():
                if not isinstance(values, dict) or not all(
                        isinstance(k, str) and isinstance(v, str) for k, v in values.items()):
                    raise Violation(f"extendedProperties.{scope} must map strings to strings")

    def _check_create_request(self, body):
        create = (body.get("conferenceData") or {}).get("createRequest")
        if not isinstance(create, dict):
            raise Violation("conferenceData.createRequest is required for a Meet link")
        checks.require(create, "requestId", str)
        key = checks.require(create, "conferenceSolutionKey", dict)
        checks.one_of(key.get("type"), {"hangoutsMeet"}, "conferenceSolutionKey.type")
        return create

    def _finish_pending(self, event):
        data = event["conferenceData"]
        if data["createRequest"]["status"]["statusCode"] == "pending":
            data["createRequest"]["status"]["statusCode"] = "success"
            data.update(_conference(data["createRequest"], pending=False))
            event["hangoutLink"] = data["entryPoints"][0]["uri"]


def _conference(create, pending):
    data = {"createRequest": {**create, "status": {"statusCode": "pending" if pending else "success"}}}
    if pending:
        return data
    code = "-".join(_letters(n) for n in (3, 4, 3))
    data.update(
        conferenceId=code,
        conferenceSolution={"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
        entryPoints=[{"entryPointType": "video", "uri": f"https://meet.google.com/{code}",
                      "label": f"meet.google.com/{code}"}],
    )
    return data


def _letters(n):
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(n))


def _new_id():
    return "".join(secrets.choice("abcdefghijklmnopqrstuv0123456789") for _ in range(26))


def _utc(value: str) -> str:
    """Return an RFC 3339 instant as Z-suffixed UTC, as freebusy.query answers."""
    return checks.rfc3339(value, "dateTime").strftime("%Y-%m-%dT%H:%M:%SZ")


def _now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
