"""Zoom meetings through the Zoom REST API v2, as the connected user ("me").

Zoom takes no client request id, so a create cannot be made idempotent on Zoom's side:
the caller stores the returned meeting id and calls `create` only while none is stored.
"""
from __future__ import annotations

import re
import secrets
import string
from collections.abc import Callable

from webapp.meetings.base import Meeting, MeetingProvider, MeetingRequest, utc_timestamp
from webapp.meetings.transport import ApiClient, bearer, path_segment

DEFAULT_BASE_URL = "https://api.zoom.us/v2"
RECORDING_CHOICES = ("none", "local", "cloud")
#: Zoom passcodes: at most 10 of these characters
_PASSCODE = re.compile(r"^[A-Za-z0-9@_*-]{1,10}$")
_SCHEDULED = 2  # Zoom meeting type: scheduled, with a fixed time


class ZoomProvider(MeetingProvider):
    """Scheduled meetings of the connected Zoom user."""

    key = "zoom"

    def __init__(self, token_getter: Callable[[], str], base_url: str = DEFAULT_BASE_URL, **client_options):
        self.api = ApiClient(base_url, bearer(token_getter), name="Zoom", **client_options)

    def create(self, req: MeetingRequest) -> Meeting:
        """Schedule a meeting; call only when no meeting id is stored for the booking."""
        meeting = self.api.call("POST", "/users/me/meetings", json=_meeting_fields(req))
        return self._meeting(meeting)

    def update(self, meeting_id: str, req: MeetingRequest) -> Meeting:
        """Patch the meeting (Zoom answers 204), then read back its join URL."""
        path = f"/meetings/{path_segment(meeting_id)}"
        self.api.call("PATCH", path, json=_meeting_fields(req))
        return self._meeting(self.api.call("GET", path))

    def delete(self, meeting_id: str) -> None:
        """Delete the meeting; 404 (code 3001, no such meeting) counts as done."""
        self.api.call("DELETE", f"/meetings/{path_segment(meeting_id)}", missing_ok=True)

    def _meeting(self, meeting: dict) -> Meeting:
        return Meeting(provider=self.key, meeting_id=str(meeting["id"]), url=meeting["join_url"])


def _meeting_fields(req: MeetingRequest) -> dict:
    options = req.options
    recording = options.get("auto_recording") or "none"
    if recording not in RECORDING_CHOICES:
        raise ValueError(f"auto_recording must be one of {RECORDING_CHOICES}")
    fields = {
        "topic": req.title[:200],
        "type": _SCHEDULED,
        "start_time": utc_timestamp(req.start),
        "duration": req.duration_minutes,
        "timezone": req.timezone,
        "agenda": req.description[:2000],
        "settings": {
            "waiting_room": bool(options.get("waiting_room", False)),
            "join_before_host": False,
            "auto_recording": recording,
        },
    }
    passcode = _passcode(options.get("passcode"))
    if passcode:
        fields["password"] = passcode
    return fields


def _passcode(option) -> str | None:
    """`True` asks for a random passcode, a string is used as given, falsy means none."""
    if not option:
        return None
    if option is True:
        alphabet = string.ascii_letters + string.digits
        return "".join(secrets.choice(alphabet) for _ in range(10))
    if not _PASSCODE.match(option):
        raise ValueError("a Zoom passcode is 1-10 of A-Z a-z 0-9 @ - _ *")
    return option
