"""Jitsi Meet: no account and no server state, just an unguessable room name."""
from __future__ import annotations

import secrets

from webapp.meetings.base import Meeting, MeetingProvider, MeetingRequest

DEFAULT_BASE_URL = "https://meet.jit.si"


class JitsiProvider(MeetingProvider):
    """Rooms on a Jitsi server; the room exists as soon as someone opens its URL."""

    key = "jitsi"

    def __init__(self, base_url: str = DEFAULT_BASE_URL, room_prefix: str = "studiocentos-"):
        self.base_url = base_url.rstrip("/")
        self.room_prefix = room_prefix

    def create(self, req: MeetingRequest) -> Meeting:
        """Pick a fresh room; the caller stores it, so a repeat is never needed."""
        # Hex, not token_urlsafe: Jitsi lowercases room names, which would cut the entropy.
        return self._meeting(self.room_prefix + secrets.token_hex(16))

    def update(self, meeting_id: str, req: MeetingRequest) -> Meeting:
        """Keep the room: a Jitsi room has no time to move."""
        return self._meeting(meeting_id)

    def delete(self, meeting_id: str) -> None:
        """Nothing to delete: the room disappears when empty."""

    def _meeting(self, room: str) -> Meeting:
        return Meeting(provider=self.key, meeting_id=room, url=f"{self.base_url}/{room}")
