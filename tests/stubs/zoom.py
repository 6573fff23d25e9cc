"""Zoom API v2 stub: create (POST /users/{userId}/meetings), get, update and delete a meeting."""
from __future__ import annotations

import re
import secrets

from tests.stubs import checks
from tests.stubs.server import Reply, ResourceStub, Violation

_ZOOM_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
_PASSWORD = re.compile(r"^[A-Za-z0-9@_*-]{1,10}$")
_MEETING_FIELDS = {
    "topic", "type", "start_time", "duration", "timezone", "agenda", "password",
    "default_password", "pre_schedule", "recurrence", "schedule_for", "settings",
    "template_id", "tracking_fields",
}
_SETTINGS_FIELDS = {
    "waiting_room", "join_before_host", "auto_recording", "host_video", "participant_video",
    "mute_upon_entry", "approval_type", "audio", "meeting_authentication", "jbh_time",
}


class ZoomStub(ResourceStub):
    """Keeps meetings by their integer id."""

    routes = (
        ("POST", r"/users/(?P<user>[^/]+)/meetings", "create"),
        ("GET", r"/meetings/(?P<meeting>[^/]+)", "get_meeting"),
        ("PATCH", r"/meetings/(?P<meeting>[^/]+)", "update"),
        ("DELETE", r"/meetings/(?P<meeting>[^/]+)", "delete_meeting"),
    )

    def __init__(self, token: str = "zoom-access-token"):
        super().__init__(token)

    def error_body(self, status, message):
        code = {401: 124, 404: 3001, 429: 429}.get(status, 300)
        return {"code": code, "message": message}

    def create(self, req):
        body = req.json()
        self._check(body, creating=True)
        meeting_id = 80000000000 + secrets.randbelow(10**10)
        password = body.get("password", "")
        meeting = {
            "id": meeting_id, "uuid": secrets.token_urlsafe(16), "host_id": "stub-host",
            "status": "waiting", "created_at": body["start_time"], "password": password,
            "start_url": f"https://zoom.us/s/{meeting_id}?zak={secrets.token_urlsafe(8)}",
            "join_url": f"https://zoom.us/j/{meeting_id}?pwd={secrets.token_urlsafe(12)}",
            **body,
        }
        self.meetings[str(meeting_id)] = meeting
        return Reply(201, meeting)

    def update(self, req):
        body = req.json()
        self._check(body, creating=False)
        meeting = self.meetings.get(req.params["meeting"])
        if meeting is None:
            return self.missing(req)
        settings = {**meeting.get("settings", {}), **body.pop("settings", {})}
        meeting.update(body, settings=settings)
        return Reply(204)

    def missing(self, req):
        return Reply(404, self.error_body(404, f"Meeting does not exist: {req.params['meeting']}."))

    def _check(self, body, creating):
        checks.unknown_fields(body, _MEETING_FIELDS)
        topic = checks.require(body, "topic", str) if creating else checks.optional(body, "topic", str)
        if topic is not None and len(topic) > 200:
            raise Violation("topic is at most 200 characters")
        kind = checks.optional(body, "type", int)
        if kind is not None:
            checks.one_of(kind, {1, 2, 3, 8}, "type")
        start = checks.optional(body, "start_time", str)
        if (creating and kind == 2 or start is not None) and not _ZOOM_UTC.match(start or ""):
            raise Violation(f"start_time must be yyyy-MM-ddTHH:mm:ssZ (GMT), got {start!r}")
        duration = checks.optional(body, "duration", int)
        if duration is not None and duration <= 0 or creating and kind == 2 and duration is None:
            raise Violation(f"duration must be a positive number of minutes, got {duration!r}")
        if "timezone" in body:
            checks.iana_zone(body["timezone"], "timezone")
        agenda = checks.optional(body, "agenda", str)
        if agenda is not None and len(agenda) > 2000:
            raise Violation("agenda is at most 2000 characters")
        password = checks.optional(body, "password", str)
        if password is not None and not _PASSWORD.match(password):
            raise Violation("password is 1-10 of [a-zA-Z0-9@-_*]")
        self._check_settings(checks.optional(body, "settings", dict) or {})

    def _check_settings(self, settings):
        checks.unknown_fields(settings, _SETTINGS_FIELDS, "settings")
        for flag in ("waiting_room", "join_before_host"):
            checks.optional(settings, flag, bool)
        if "auto_recording" in settings:
            checks.one_of(settings["auto_recording"], {"local", "cloud", "none"}, "settings.auto_recording")
