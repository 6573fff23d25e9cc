"""Whereby REST API v1 stub: POST /meetings, GET and DELETE /meetings/{meetingId}."""
from __future__ import annotations

import re
import secrets
import uuid
from datetime import datetime, timezone

from tests.stubs import checks
from tests.stubs.server import Reply, ResourceStub, Violation

_FIELDS = {"endDate", "startDate", "isLocked", "roomMode", "roomNamePrefix", "roomNamePattern",
           "templateType", "fields"}
_PREFIX = re.compile(r"^[a-z0-9]{0,39}$")


class WherebyStub(ResourceStub):
    """Keeps rooms by meetingId; rooms cannot be changed, only made and deleted."""

    routes = (
        ("POST", r"/meetings", "create"),
        ("GET", r"/meetings/(?P<meeting>[^/]+)", "get_meeting"),
        ("DELETE", r"/meetings/(?P<meeting>[^/]+)", "delete_meeting"),
    )

    def __init__(self, api_key: str = "whereby-api-key"):
        super().__init__(api_key)

    def create(self, req):
        body = req.json()
        checks.unknown_fields(body, _FIELDS)
        end = checks.rfc3339(checks.require(body, "endDate", str), "endDate")
        if end < datetime.now(timezone.utc):
            raise Violation("endDate must not be in the past")
        checks.optional(body, "isLocked", bool)
        if "roomMode" in body:
            checks.one_of(body["roomMode"], {"normal", "group"}, "roomMode")
        prefix = checks.optional(body, "roomNamePrefix", str) or ""
        if not _PREFIX.match(prefix):
            raise Violation("roomNamePrefix is at most 39 of [a-z0-9]")
        fields = checks.optional(body, "fields", list) or []
        for name in fields:
            checks.one_of(name, {"hostRoomUrl", "viewerRoomUrl"}, "fields[]")
        meeting_id = str(10**7 + secrets.randbelow(9 * 10**7))
        room = f"https://stub.whereby.com/{prefix}{uuid.uuid4()}"
        meeting = {"meetingId": meeting_id, "roomName": room.rsplit("/", 1)[1], "roomUrl": room,
                   "startDate": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                   "endDate": body["endDate"]}
        if "hostRoomUrl" in fields:
            meeting["hostRoomUrl"] = f"{room}?roomKey={secrets.token_urlsafe(12)}"
        self.meetings[meeting_id] = meeting
        return Reply(201, meeting)
