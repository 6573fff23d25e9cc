"""What each outbox kind does: re-check the booking, then build the email or the meeting.

`prepare(row, now)` runs before any I/O and returns an Action, or a Skip with the reason
the row no longer applies (booking cancelled, moved to a new version, already started).
"""
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Callable

from flask import current_app

from webapp.extensions import db
from webapp.mail import messages
from webapp.mail.outgoing import OutgoingEmail
from webapp.meetings import FALLBACK_PROVIDER, Meeting, MeetingRequest, ProviderError, build_provider
from webapp.models import Booking, BookingFollowUp, OutboxMessage
from webapp.services.settings import get_settings
from webapp.services.tokens import manage_url


class Skip(Exception):
    """The row no longer applies; it ends as `skipped` with this reason."""


@dataclass
class Action:
    """An email to send, or a meeting to create, plus what to record once it succeeded."""

    email: OutgoingEmail | None = None
    meeting: Callable[[], tuple[Meeting, str | None]] | None = None
    #: runs inside the finishing transaction with the fresh booking (or None) and the result
    record: Callable[[Booking | None, object, datetime], None] | None = None


def mail_settings() -> messages.MailSettings:
    """Return the sender settings: configuration, with the admin's run-time settings on top."""
    settings = get_settings()
    return replace(messages.MailSettings.from_config(current_app.config),
                   business_name=settings.business_name,
                   business_timezone=settings.business_timezone,
                   admin_email=settings.admin_email or None)


def prepare(row: OutboxMessage, now: datetime) -> Action:
    """Return what to do for `row`, or raise Skip."""
    booking = db.session.get(Booking, row.booking_id) if row.booking_id else None
    if row.booking_id and booking is None:
        raise Skip("the booking no longer exists")
    handler = HANDLERS.get(row.kind)
    if handler is None:
        raise Skip(f"unknown outbox kind {row.kind!r}")
    return handler(row, booking, now)


def _require(booking: Booking, row: OutboxMessage, statuses: tuple[str, ...]) -> None:
    """Skip unless the booking is in one of `statuses` at the row's version."""
    if booking.status not in statuses:
        raise Skip(f"the booking is {booking.status}")
    if booking.version != row.payload.get("version"):
        raise Skip(f"the booking changed (version {booking.version})")


def _confirmation(row, booking, now):
    """The confirmation with its REQUEST invite, once the booking is confirmed."""
    _require(booking, row, ("confirmed",))
    return Action(messages.confirmation(booking, settings=mail_settings(),
                                        manage_url=manage_url(booking.uid), now=now))


def _pending_approval(row, booking, now):
    """Tell the client their request waits for approval."""
    _require(booking, row, ("pending",))
    return Action(messages.pending_approval(booking, settings=mail_settings(),
                                            manage_url=manage_url(booking.uid)))


def _reminder(row, booking, now):
    """Remind a confirmed booking that has not started yet."""
    _require(booking, row, ("confirmed",))
    if booking.scheduled_at <= now:
        raise Skip("the booking has already started")
    last, version = bool(row.payload.get("last")), row.payload.get("version")
    return Action(messages.reminder(booking, settings=mail_settings(),
                                    manage_url=manage_url(booking.uid)),
                  record=lambda fresh, _result, _now: _mark_reminded(fresh, version, last))


def _mark_reminded(booking: Booking | None, version: int, last: bool) -> None:
    """Set reminder_sent after the last reminder of the booking's current version."""
    if last and booking is not None and booking.version == version:
        booking.reminder_sent = True


def _update(row, booking, now):
    """The moved invite (same UID, higher SEQUENCE) with the previous time."""
    _require(booking, row, ("pending", "confirmed"))
    return Action(messages.update(
        booking, settings=mail_settings(), manage_url=manage_url(booking.uid), now=now,
        previous_start=_instant(row.payload.get("previous_start")),
        previous_end=_instant(row.payload.get("previous_end"))))


def _cancellation(row, booking, now):
    """The cancellation with METHOD:CANCEL."""
    _require(booking, row, ("cancelled",))
    return Action(messages.cancellation(booking, settings=mail_settings(), now=now,
                                        book_url=current_app.config["BASE_URL"] + "/"))


def _admin_new_booking(row, booking, now):
    """Tell the business about a new booking."""
    settings = mail_settings()
    if not settings.admin_email:
        raise Skip("no admin address is configured")
    return Action(messages.admin_new_booking(booking, settings=settings))


def _follow_up(row, booking, now):
    """Send a BookingFollowUp once, recording sent/sent_at."""
    follow_up = db.session.get(BookingFollowUp, row.payload.get("follow_up_id"))
    if follow_up is None or follow_up.sent:
        raise Skip("the follow-up is gone or already sent")
    follow_up_id = follow_up.id
    return Action(messages.follow_up(booking, follow_up, settings=mail_settings(),
                                     manage_url=manage_url(booking.uid)),
                  record=lambda _fresh, _result, at: _mark_follow_up(follow_up_id, at))


def _mark_follow_up(follow_up_id: int, at: datetime) -> None:
    """Record that a follow-up went out."""
    follow_up = db.session.get(BookingFollowUp, follow_up_id)
    follow_up.sent, follow_up.sent_at = True, at


def _manage_links(row, booking, now):
    """Send the manage links of the address's bookings that are still active."""
    bookings = [b for b in (db.session.get(Booking, i) for i in row.payload.get("booking_ids", []))
                if b is not None and b.is_active]
    if not bookings:
        raise Skip("none of the bookings is active any more")
    return Action(messages.manage_links(row.recipient, [(b, manage_url(b.uid)) for b in bookings],
                                        settings=mail_settings()))


def _meeting_create(row, booking, now):
    """Create the meeting link; then confirm a booking whose type needs no approval."""
    if not booking.is_active:
        raise Skip(f"the booking is {booking.status}")
    auto_confirm = bool(row.payload.get("auto_confirm"))
    if booking.meeting_url:
        return Action(record=lambda fresh, _r, at: _store_meeting(fresh, None, auto_confirm, at))
    request = _meeting_request(booking)
    provider_key, final = booking.meeting_provider, row.attempts >= 3
    return Action(meeting=lambda: _make_meeting(provider_key, request, final),
                  record=lambda fresh, result, at: _store_meeting(fresh, result, auto_confirm, at))


def _meeting_request(booking: Booking) -> MeetingRequest:
    """Describe the booking to a meeting provider."""
    return MeetingRequest(request_id=booking.uid, title=booking.title,
                          description=booking.description or "", start=booking.scheduled_at,
                          end=booking.ends_at, timezone=booking.timezone,
                          attendee_email=booking.client_email, attendee_name=booking.client_name)


def _make_meeting(key: str, request: MeetingRequest, final: bool) -> tuple[Meeting, str | None]:
    """Create the meeting; a provider that fails for good gives way to Jitsi (with the reason)."""
    config = current_app.config
    try:
        return build_provider(key, config).create(request), None
    except ProviderError as exc:
        if key == FALLBACK_PROVIDER or (exc.retryable and not final):
            raise
        fallback = build_provider(FALLBACK_PROVIDER, config).create(request)
        return fallback, f"{key}: {exc.message}; using {FALLBACK_PROVIDER}"


def _store_meeting(booking: Booking | None, result, auto_confirm: bool, now: datetime) -> None:
    """Store the meeting on the booking and confirm it when its type needs no approval."""
    from webapp.services import notifications

    if booking is None or not booking.is_active:
        return
    if result is not None and not booking.meeting_url:
        meeting, error = result
        booking.meeting_provider, booking.meeting_id = meeting.provider, meeting.meeting_id
        booking.meeting_url, booking.meeting_error = meeting.url, error
    if auto_confirm and booking.status == "pending":
        booking.status, booking.confirmed_at = "confirmed", now
        notifications.booking_confirmed(booking, now)


def _instant(value: str | None) -> datetime | None:
    """Parse an ISO instant stored in a payload."""
    return datetime.fromisoformat(value) if value else None


HANDLERS = {
    "confirmation": _confirmation,
    "pending_approval": _pending_approval,
    "reminder": _reminder,
    "update": _update,
    "cancellation": _cancellation,
    "admin_new_booking": _admin_new_booking,
    "follow_up": _follow_up,
    "manage_links": _manage_links,
    "meeting_create": _meeting_create,
}
