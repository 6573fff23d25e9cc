"""Google Meet through the Calendar API v3: an event on the connected calendar with a Meet link."""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable

from webapp.meetings.base import (
    Meeting,
    MeetingProvider,
    MeetingRequest,
    ProviderError,
    utc_timestamp,
)
from webapp.meetings.transport import ApiClient, bearer, path_segment

DEFAULT_BASE_URL = "https://www.googleapis.com/calendar/v3"
#: conferenceDataVersion=1 makes Google read and return conferenceData; no emails from Google
_WRITE_PARAMS = {"conferenceDataVersion": "1", "sendUpdates": "none"}


def event_id_for(request_id: str) -> str:
    """Derive the event id Google will hold for a booking: base32hex ([0-9a-v]), 52 chars."""
    digest = hashlib.sha256(request_id.encode()).digest()
    return base64.b32hexencode(digest).decode().rstrip("=").lower()


class GoogleMeetProvider(MeetingProvider):
    """Events with a Meet conference on one calendar ("primary" by default)."""

    key = "google_meet"

    def __init__(
        self,
        token_getter: Callable[[], str],
        base_url: str = DEFAULT_BASE_URL,
        calendar_id: str = "primary",
        **client_options,
    ):
        self.api = ApiClient(base_url, bearer(token_getter), name="Google Calendar", **client_options)
        self.events_path = f"/calendars/{path_segment(calendar_id)}/events"

    def create(self, req: MeetingRequest) -> Meeting:
        """Insert the event under an id derived from the request, so a repeat finds the first one."""
        event_id = event_id_for(req.request_id)
        body = {
            "id": event_id,
            **_event_fields(req),
            "conferenceData": {
                "createRequest": {
                    "requestId": req.request_id,
                    "conferenceSolutionKey": {"type": "hangoutsMeet"},
                }
            },
        }
        try:
            event = self.api.call("POST", self.events_path, params=_WRITE_PARAMS, json=body)
        except ProviderError as exc:
            if exc.status != 409:  # 409: an earlier attempt already made this event
                raise
            event = self._get(event_id)
        if not _meet_url(event):
            # The conference is made asynchronously; it is usually there on the next read.
            event = self._get(event_id)
        return self._meeting(event)

    def update(self, meeting_id: str, req: MeetingRequest) -> Meeting:
        """Patch time, title, description and attendee; the Meet link stays."""
        event = self.api.call(
            "PATCH", self._event_path(meeting_id), params=_WRITE_PARAMS, json=_event_fields(req)
        )
        return self._meeting(event)

    def delete(self, meeting_id: str) -> None:
        """Delete the event (Google answers 410 for one already deleted)."""
        self.api.call(
            "DELETE", self._event_path(meeting_id), params={"sendUpdates": "none"}, missing_ok=True
        )

    def _get(self, event_id: str) -> dict:
        return self.api.call("GET", self._event_path(event_id))

    def _event_path(self, event_id: str) -> str:
        return f"{self.events_path}/{path_segment(event_id)}"

    def _meeting(self, event: dict) -> Meeting:
        url = _meet_url(event)
        if not url:
            raise ProviderError("Google Calendar: the Meet link is not ready yet", retryable=True)
        return Meeting(provider=self.key, meeting_id=event["id"], url=url)


def _event_fields(req: MeetingRequest) -> dict:
    return {
        "summary": req.title,
        "description": req.description,
        "start": {"dateTime": utc_timestamp(req.start), "timeZone": req.timezone},
        "end": {"dateTime": utc_timestamp(req.end), "timeZone": req.timezone},
        "attendees": [{"email": req.attendee_email, "displayName": req.attendee_name}],
    }


def _meet_url(event: dict) -> str | None:
    if event.get("hangoutLink"):
        return event["hangoutLink"]
    entry_points = (event.get("conferenceData") or {}).get("entryPoints") or ()
    return next((e["uri"] for e in entry_points if e.get("entryPointType") == "video"), None)
