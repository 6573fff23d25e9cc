"""The meeting of a booking: create, move and delete it at the booking's provider.

The worker calls these from the outbox. A retryable failure (429, 5xx, network) is
raised again so the outbox retries with backoff; on the final attempt, or when the
account's grant is gone, the booking falls back to Jitsi and `Booking.meeting_error`
tells the admin why. A create is never repeated once a meeting id is stored: the id is
stored in its own transaction right after the provider answers.
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from webapp.database import booking_write_transaction
from webapp.extensions import db
from webapp.meetings import (
    FALLBACK_PROVIDER,
    OAUTH_PROVIDERS,
    PROVIDER_NAMES,
    Meeting,
    MeetingProvider,
    MeetingRequest,
    ProviderAuthError,
    ProviderError,
    build_provider,
)
from webapp.meetings.base import checked_meeting
from webapp.models import Booking
from webapp.services.integration_tokens import IntegrationTokens
from webapp.services.integrations import record_provider_error
from webapp.services.settings import get_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Snapshot:
    """What a provider call needs from the booking, read before any I/O."""

    booking_id: int
    version: int
    active: bool
    provider: str
    meeting: Meeting | None
    request: MeetingRequest


def ensure_meeting(booking_id: int, now: datetime, *, final: bool = False) -> Meeting | None:
    """Create the booking's meeting unless one is stored; return it (None: booking inactive)."""
    snap = _snapshot(booking_id)
    if snap is None or not snap.active:
        return None
    if snap.meeting is not None:
        return snap.meeting
    meeting, error = _with_fallback(snap, now, final, lambda p: p.create(snap.request), "create")
    return _store(snap, meeting, error, now, replace=False)


def update_meeting(booking_id: int, now: datetime, *, final: bool = False) -> Meeting | None:
    """Move the booking's meeting to its current time; store the answer (its id may change)."""
    snap = _snapshot(booking_id)
    if snap is None or not snap.active or snap.meeting is None:
        return None  # no meeting yet: the pending create reads the new time itself
    if snap.meeting.provider == FALLBACK_PROVIDER:
        return snap.meeting  # a Jitsi room has no time to move
    meeting, error = _with_fallback(
        snap, now, final, lambda p: p.update(snap.meeting.meeting_id, snap.request), "move")
    return _store(snap, meeting, error, now, replace=True)


def delete_meeting(booking_id: int, now: datetime, *, final: bool = False) -> bool:
    """Delete a cancelled booking's meeting; return False if it had to be left (see meeting_error)."""
    snap = _snapshot(booking_id)
    if snap is None or snap.meeting is None or snap.meeting.provider == FALLBACK_PROVIDER:
        return True
    try:
        _call(snap.meeting.provider, now, lambda p: p.delete(snap.meeting.meeting_id))
    except ProviderError as exc:
        if exc.retryable and not final:
            raise
        reason = _give_up(snap.meeting.provider, exc, now, "delete")
        _set_error(booking_id, reason)
        return False
    return True


# -- provider calls ---------------------------------------------------------------------------

def _call(key: str, now: datetime, op: Callable[[MeetingProvider], object]):
    """Run `op` on provider `key`; after a 401, refresh the token once and try again."""
    tokens = IntegrationTokens(key, now) if key in OAUTH_PROVIDERS else None
    provider = build_provider(key, current_app.config, tokens)
    try:
        return op(provider)
    except ProviderAuthError:
        if tokens is None or tokens.refreshed:
            raise
        tokens.refresh()  # the token died before its expiry (revoked session, clock skew)
        return op(provider)


def _with_fallback(snap: _Snapshot, now: datetime, final: bool, op, verb: str):
    """Return (meeting, None), or a Jitsi meeting and the reason when the provider failed for good."""
    key = snap.provider if snap.meeting is None else snap.meeting.provider
    try:  # a link that is not https is the provider's failure: never stored or shown
        return checked_meeting(_call(key, now, op)), None
    except ProviderError as exc:
        if key == FALLBACK_PROVIDER or (exc.retryable and not final):
            raise
        reason = _give_up(key, exc, now, verb)
    fallback = build_provider(FALLBACK_PROVIDER, current_app.config).create(snap.request)
    return fallback, f"{reason}; using {PROVIDER_NAMES[FALLBACK_PROVIDER]} instead"


def _give_up(key: str, exc: ProviderError, now: datetime, verb: str) -> str:
    """Record a provider's final failure (an auth failure disconnects it); return the reason."""
    if isinstance(exc, ProviderAuthError):
        record_provider_error(key, exc.message, now)
    log.warning("Meeting %s at %s failed for good: %s", verb, key, exc.message)
    return f"{PROVIDER_NAMES[key]} could not {verb} the meeting: {exc.message}"


# -- the booking side -------------------------------------------------------------------------

def _snapshot(booking_id: int) -> _Snapshot | None:
    """Read what the provider call needs, then end the read transaction."""
    booking = db.session.get(Booking, booking_id, populate_existing=True)
    if booking is None:
        db.session.rollback()
        return None
    meeting = None
    if booking.meeting_id and booking.meeting_url:
        meeting = Meeting(booking.meeting_provider, booking.meeting_id, booking.meeting_url)
    snap = _Snapshot(booking.id, booking.version, booking.is_active, booking.meeting_provider,
                     meeting, meeting_request(booking))
    db.session.rollback()
    return snap


def meeting_request(booking: Booking) -> MeetingRequest:
    """Describe a booking to its meeting provider (the uid keeps repeats idempotent)."""
    return MeetingRequest(
        request_id=booking.uid, title=booking.title, description=booking.description or "",
        start=booking.scheduled_at, end=booking.ends_at, timezone=booking.timezone,
        attendee_email=booking.client_email, attendee_name=booking.client_name,
        options=_options(booking.meeting_provider))


def _options(key: str) -> dict:
    """Provider settings: Zoom meetings get a waiting room, a passcode and the recording choice."""
    if key != "zoom":
        return {}
    return {"waiting_room": True, "passcode": True,
            "auto_recording": get_settings().zoom_auto_recording or "none"}


def _store(snap: _Snapshot, meeting: Meeting, error: str | None, now: datetime, *,
           replace: bool) -> Meeting:
    """Store the meeting at once; then catch up with a move or cancel that happened meanwhile."""
    with booking_write_transaction() as session:
        booking = session.get(Booking, snap.booking_id, populate_existing=True)
        if booking is None:
            return meeting
        if not replace and booking.meeting_id and booking.meeting_url:
            # another worker stored one first (a lease ran out): keep theirs
            return Meeting(booking.meeting_provider, booking.meeting_id, booking.meeting_url)
        booking.meeting_provider, booking.meeting_id = meeting.provider, meeting.meeting_id
        booking.meeting_url, booking.meeting_error = meeting.url, error
        active, moved = booking.is_active, booking.version != snap.version
    if not active:
        delete_meeting(snap.booking_id, now, final=True)
    elif moved:
        return update_meeting(snap.booking_id, now, final=True) or meeting
    return meeting


def _set_error(booking_id: int, reason: str) -> None:
    """Record on the booking why its meeting could not follow it."""
    with booking_write_transaction() as session:
        booking = session.get(Booking, booking_id, populate_existing=True)
        if booking is not None:
            booking.meeting_error = reason
