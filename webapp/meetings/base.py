"""The one interface every meeting provider implements, and its errors."""
from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlsplit

#: the longest link a booking stores (Booking.meeting_url)
MAX_URL_LENGTH = 500
_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")


class ProviderError(Exception):
    """A provider call failed; `retryable` says whether trying again later can help."""

    def __init__(
        self,
        message: str,
        retryable: bool = False,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        #: HTTP status of the provider's answer, None for transport failures
        self.status = status
        #: seconds the provider asked us to wait (Retry-After), when it said
        self.retry_after = retry_after


class ProviderAuthError(ProviderError):
    """The grant or key is expired, revoked or missing: the integration must be reconnected."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message, retryable=False, status=status)


@dataclass(frozen=True)
class MeetingRequest:
    """What a booking asks of a provider; `request_id` is stable per booking (its uid)."""

    request_id: str
    title: str
    description: str
    start: datetime
    end: datetime
    #: the client's IANA zone
    timezone: str
    attendee_email: str
    attendee_name: str
    #: provider settings, e.g. {"waiting_room": True, "passcode": True, "auto_recording": "cloud"}
    options: dict = field(default_factory=dict)

    def __post_init__(self):
        for name in ("start", "end"):
            value = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"MeetingRequest.{name} must be timezone-aware")
        if self.end <= self.start:
            raise ValueError("MeetingRequest.end must be after start")
        if not self.request_id:
            raise ValueError("MeetingRequest.request_id is required")

    @property
    def duration_minutes(self) -> int:
        """Whole minutes the meeting lasts, rounded up."""
        return math.ceil((self.end - self.start).total_seconds() / 60)


@dataclass(frozen=True)
class Meeting:
    """A meeting as the provider knows it: what a booking stores and shows."""

    provider: str
    meeting_id: str
    url: str


class MeetingProvider(ABC):
    """Creates, updates and deletes meetings on one provider."""

    #: one of registry.PROVIDER_KEYS
    key: str

    @abstractmethod
    def create(self, req: MeetingRequest) -> Meeting:
        """Create a meeting for the request."""

    @abstractmethod
    def update(self, meeting_id: str, req: MeetingRequest) -> Meeting:
        """Move or rename a meeting; the returned id may differ (store it)."""

    @abstractmethod
    def delete(self, meeting_id: str) -> None:
        """Delete a meeting; one that is already gone counts as deleted."""


def checked_meeting(meeting: Meeting) -> Meeting:
    """Return `meeting` if its link is an https URL with a host; else raise a final ProviderError.

    A provider's answer is not trusted: the link ends up in pages, emails and invites,
    where a `javascript:` or `http:` URL would run script or leak the meeting.
    """
    url = meeting.url
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH or _SPACE_OR_CONTROL.search(url):
        raise ProviderError("The provider answered with a meeting link that is not a valid URL.")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
    if host is None or parts.scheme != "https":
        raise ProviderError("The provider answered with a meeting link that is not an https URL.")
    return meeting


def utc_timestamp(value: datetime) -> str:
    """Format an aware instant as `YYYY-MM-DDTHH:MM:SSZ`, the form every provider accepts."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
