"""Whereby rooms through the Whereby Embedded REST API v1, with an API key.

Whereby documents create, read and delete for meetings but no update: a room lives from
its creation until an hour after its `endDate`. So a reschedule keeps the room while its
end still covers the new end, and otherwise makes a new room (new id: store it) and
deletes the old one.
"""
from __future__ import annotations

import logging
from datetime import datetime

from webapp.meetings.base import (
    Meeting,
    MeetingProvider,
    MeetingRequest,
    ProviderError,
    utc_timestamp,
)
from webapp.meetings.transport import ApiClient, path_segment

DEFAULT_BASE_URL = "https://api.whereby.dev/v1"
log = logging.getLogger(__name__)


class WherebyProvider(MeetingProvider):
    """Transient rooms made with the account's API key."""

    key = "whereby"

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        room_name_prefix: str | None = None,
        **client_options,
    ):
        self.api = ApiClient(base_url, lambda: f"Bearer {api_key}", name="Whereby", **client_options)
        self.room_name_prefix = room_name_prefix

    def create(self, req: MeetingRequest) -> Meeting:
        """Make a room that lasts until an hour after the meeting's end."""
        body = {"endDate": utc_timestamp(req.end), "isLocked": bool(req.options.get("waiting_room"))}
        if self.room_name_prefix:
            body["roomNamePrefix"] = self.room_name_prefix
        return self._meeting(self.api.call("POST", "/meetings", json=body))

    def update(self, meeting_id: str, req: MeetingRequest) -> Meeting:
        """Keep the room if it outlives the new end, else replace it."""
        room = self.api.call("GET", self._path(meeting_id), missing_ok=True)
        if room and _parse(room["endDate"]) >= req.end:
            return self._meeting(room)
        replacement = self.create(req)
        if room:
            self._discard(meeting_id)
        return replacement

    def delete(self, meeting_id: str) -> None:
        """Delete the room; one already gone counts as deleted."""
        self.api.call("DELETE", self._path(meeting_id), missing_ok=True)

    def _discard(self, meeting_id: str) -> None:
        # The new room exists; failing now would make a retry create yet another one,
        # and the old room expires by itself an hour after its end.
        try:
            self.delete(meeting_id)
        except ProviderError as exc:
            log.warning("Whereby: left replaced room %s to expire: %s", meeting_id, exc)

    def _path(self, meeting_id: str) -> str:
        return f"/meetings/{path_segment(meeting_id)}"

    def _meeting(self, room: dict) -> Meeting:
        return Meeting(provider=self.key, meeting_id=str(room["meetingId"]), url=room["roomUrl"])


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
