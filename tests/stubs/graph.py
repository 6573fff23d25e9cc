"""Microsoft Graph v1.0 stub: onlineMeetings createOrGet, update and delete for /me; calendar getSchedule."""
from __future__ import annotations

import base64
import secrets
from datetime import datetime, timezone

from tests.stubs import checks
from tests.stubs.server import Reply, ResourceStub, Violation

_FIELDS = {"startDateTime", "endDateTime", "subject", "participants", "chatInfo", "externalId"}
_MEETING = r"/me/onlineMeetings/(?P<meeting>[^/]+)"


class GraphStub(ResourceStub):
    """Keeps online meetings by id and by externalId (createOrGet's key)."""

    routes = (
        ("POST", r"/me/onlineMeetings/createOrGet", "create_or_get"),
        ("GET", _MEETING, "get_meeting"),
        ("PATCH", _MEETING, "update"),
        ("DELETE", _MEETING, "delete_meeting"),
        ("POST", r"/me/calendar/getSchedule", "get_schedule"),
    )

    def __init__(self, token: str = "graph-access-token"):
        super().__init__(token)
        #: getSchedule's answer: mailbox address -> [(status, start, end)], UTC "YYYY-MM-DDTHH:MM:SS"
        self.schedule_items: dict[str, list[tuple[str, str, str]]] = {}

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
            for status, start, end in self.schedule_items.get(address, ()):
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

    def _check(self, body):
        checks.unknown_fields(body, _FIELDS)
        checks.optional(body, "subject", str)
        times = [checks.rfc3339(body[k], k) for k in ("startDateTime", "endDateTime") if k in body]
        if len(times) == 2 and times[1] <= times[0]:
            raise Violation("endDateTime must be after startDateTime")


def _now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
