"""The periodic sweep: complete finished bookings, forget old answers, queue due and stuck rows.

The sweep reads the database, not Redis, so it recovers everything a Redis flush or a
dead worker lost: reminders and follow-ups that fell due, retries, rows whose lease ran out.
"""
from datetime import datetime

from webapp import clock
from webapp.extensions import db
from webapp.models import Booking, OutboxMessage
from webapp.outbox.dispatch import enqueue
from webapp.outbox.perform import claimable
from webapp.services import idempotency
from webapp.services.bookings import complete_booking

#: rows handed to the queue by one sweep at most (the next sweep takes the rest)
SWEEP_BATCH = 1000


def run_sweep() -> dict:
    """The periodic job: sweep now, then release the session of this thread."""
    try:
        return sweep(clock.now())
    finally:
        db.session.remove()


def sweep(now: datetime) -> dict:
    """Complete bookings whose end passed; enqueue due and stuck rows not already waiting."""
    completed = complete_finished_bookings(now)
    idempotency.forget_old_answers(now)
    ids = list(db.session.scalars(
        db.select(OutboxMessage.id)
        .where(OutboxMessage.due_at <= now, claimable(now))
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(SWEEP_BATCH)))
    db.session.rollback()
    if ids:
        enqueue(ids, skip_waiting=True)
    return {"completed": completed, "enqueued": len(ids)}


def complete_finished_bookings(now: datetime) -> int:
    """Mark confirmed bookings whose end has passed as completed (pending ones wait for an admin)."""
    ids = list(db.session.scalars(
        db.select(Booking.id).where(Booking.status == "confirmed", Booking.ends_at <= now)))
    db.session.rollback()
    for booking_id in ids:
        complete_booking(booking_id, now)
    return len(ids)
