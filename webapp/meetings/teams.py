"""Microsoft Teams online meetings through Microsoft Graph v1.0, as the signed-in user."""
from __future__ import annotations

from collections.abc import Callable

from webapp.meetings.base import Meeting, MeetingProvider, MeetingRequest, utc_timestamp
from webapp.meetings.transport import ApiClient, bearer, path_segment

DEFAULT_BASE_URL = "https://graph.microsoft.com/v1.0"


class TeamsProvider(MeetingProvider):
    """Online meetings of the connected work or school account."""

    key = "teams"

    def __init__(self, token_getter: Callable[[], str], base_url: str = DEFAULT_BASE_URL, **client_options):
        self.api = ApiClient(base_url, bearer(token_getter), name="Microsoft Graph", **client_options)

    def create(self, req: MeetingRequest) -> Meeting:
        """createOrGet keyed by the request id: a repeat returns the first meeting."""
        body = {"externalId": req.request_id, **_meeting_fields(req)}
        return self._meeting(self.api.call("POST", "/me/onlineMeetings/createOrGet", json=body))

    def update(self, meeting_id: str, req: MeetingRequest) -> Meeting:
        """Patch start, end and subject; Graph answers with the updated meeting."""
        path = f"/me/onlineMeetings/{path_segment(meeting_id)}"
        return self._meeting(self.api.call("PATCH", path, json=_meeting_fields(req)))

    def delete(self, meeting_id: str) -> None:
        """Delete the online meeting; one already gone counts as deleted."""
        self.api.call("DELETE", f"/me/onlineMeetings/{path_segment(meeting_id)}", missing_ok=True)

    def _meeting(self, meeting: dict) -> Meeting:
        return Meeting(provider=self.key, meeting_id=meeting["id"], url=meeting["joinWebUrl"])


def _meeting_fields(req: MeetingRequest) -> dict:
    return {
        "startDateTime": utc_timestamp(req.start),
        "endDateTime": utc_timestamp(req.end),
        "subject": req.title,
    }
