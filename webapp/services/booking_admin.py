"""Admin-only booking edits: internal notes, follow-up messages, resending the confirmation."""
from datetime import datetime

from webapp import outbox
from webapp.extensions import db
from webapp.mail.language import N_
from webapp.models import Booking, BookingFollowUp
from webapp.services.errors import NotAllowed, NotFound


def _booking(booking_id: int) -> Booking:
    """Return the booking or raise NotFound."""
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        raise NotFound("No such booking.")
    return booking


def save_internal_notes(booking_id: int, notes: str | None) -> Booking:
    """Replace a booking's internal notes (never shown to the client)."""
    booking = _booking(booking_id)
    booking.internal_notes = notes
    db.session.commit()
    return booking


def write_follow_up(booking_id: int, subject: str, message: str, now: datetime) -> BookingFollowUp:
    """Store a follow-up message to the client and queue it for the worker."""
    booking = _booking(booking_id)
    follow_up = BookingFollowUp(booking=booking, subject=subject, message=message, send_after=now)
    db.session.add(follow_up)
    outbox.follow_up_written(follow_up, now)
    db.session.commit()
    return follow_up


def resend_confirmation(booking_id: int, now: datetime) -> Booking:
    """Queue the confirmation email (with its invite) of a confirmed booking once more."""
    booking = _booking(booking_id)
    if booking.status != "confirmed":
        raise NotAllowed(N_("Only a confirmed booking has a confirmation to resend."))
    outbox.confirmation_resent(booking, now)
    db.session.commit()
    return booking
