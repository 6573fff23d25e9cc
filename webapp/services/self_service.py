"""Client self-service through the manage link: which links still open, and when changes stop."""
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func

from webapp import outbox
from webapp.extensions import db
from webapp.mail.language import supported
from webapp.models import Booking
from webapp.models.booking import ACTIVE_STATUSES
from webapp.services.bookings import booking_by_token, cancel_booking, reschedule_booking, status_word
from webapp.services.errors import ValidationFailed
from webapp.services.settings import get_settings
from webapp.services.validation import FieldErrors

#: a manage link stops opening this long after the meeting ended or the booking was cancelled
LINK_LIFETIME = timedelta(days=30)


def manageable_booking(token: str, now: datetime) -> Booking | None:
    """Return the booking a manage token opens, or None if unknown, malformed or long over."""
    booking = booking_by_token(token)
    if booking is None or _link_expired(booking, now):
        return None
    return booking


def _link_expired(booking: Booking, now: datetime) -> bool:
    """Tell whether the booking's meeting ended, or its cancellation came, too long ago."""
    over = [booking.ends_at]
    if booking.status == "cancelled" and booking.cancelled_at is not None:
        over.append(booking.cancelled_at)
    return min(over) < now - LINK_LIFETIME


def business_contact() -> str:
    """Return how a client reaches the business when the site cannot help."""
    settings = get_settings()
    if settings.admin_email:
        return _("%(business)s at %(email)s", business=settings.business_name, email=settings.admin_email)
    return settings.business_name


def change_refusal(booking: Booking, now: datetime) -> str | None:
    """Return why the client cannot change the booking online now, or None if they can."""
    if not booking.is_active:
        return _("This booking is %(status)s and can no longer be changed.", status=status_word(booking.status))
    hours = get_settings().self_service_cutoff_hours
    if booking.scheduled_at - now < timedelta(hours=hours):
        return _("Bookings can't be changed online less than %(hours)s hours before they start. "
                 "Please contact %(contact)s.", hours=hours, contact=business_contact())
    return None


def cancel_as_client(booking: Booking, reason: str | None, now: datetime, *,
                     locale: str | None = None) -> Booking:
    """Cancel a booking for its client, within the self-service policy; its emails follow `locale`."""
    return cancel_booking(booking.id, reason, now, policy=lambda fresh: change_refusal(fresh, now),
                          locale=locale)


def reschedule_as_client(booking: Booking, new_start: datetime, now: datetime,
                         duration_minutes: int | None = None, *, locale: str | None = None) -> Booking:
    """Move a booking for its client, within the self-service policy; SlotTaken if lost.

    Its emails from now on follow `locale`, the language the client moved it in.
    """
    return reschedule_booking(booking.id, new_start, now, duration_minutes=duration_minutes,
                              policy=lambda fresh: change_refusal(fresh, now), locale=locale)


def upcoming_bookings_of(email: str, now: datetime) -> list[Booking]:
    """Return the active bookings of an address that have not ended, soonest first."""
    return list(db.session.scalars(
        db.select(Booking)
        .where(func.lower(Booking.client_email) == email.lower(),
               Booking.status.in_(ACTIVE_STATUSES), Booking.ends_at > now)
        .order_by(Booking.scheduled_at)
    ))


def send_lost_links(email: str, now: datetime, language: str | None = None) -> None:
    """Queue a "lost your link" email for a valid address, in `language`; say nothing about its bookings.

    The request does the same work for every address (one outbox row, no booking query):
    the worker looks the bookings up and sends nothing to an address without any, so the
    form cannot mail strangers and its timing cannot tell which addresses are clients.
    """
    errors = FieldErrors()
    email = errors.email("email", email)
    if errors:
        raise ValidationFailed(_("Please enter a valid email address."), dict(errors))
    outbox.queue_manage_links(email, now, supported(language))
