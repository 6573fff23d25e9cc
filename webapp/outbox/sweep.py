"""The periodic sweep: complete finished bookings, forget old answers, queue due and stuck rows, read calendars.

The sweep reads the database, not Redis, so it recovers everything a Redis flush or a
dead worker lost: reminders and follow-ups that fell due, retries, rows whose lease ran out.
A row overdue by more than a lease (stuck `sending`, or `pending` with a job a dead worker
took) is queued under a job id of this lease period, whatever RQ says of its older job:
RQ keeps a killed worker's job `started` for many minutes, the lease only for one.
The timers of every process call `run_periodic_sweep`, which sweeps once per period across
them all (`outbox.periodic`); `run_sweep` sweeps unconditionally (`flask sweep`).
"""
from datetime import datetime, timedelta

from flask import current_app

from webapp import clock
from webapp.extensions import db
from webapp.models import Booking, OutboxMessage
from webapp.outbox.dispatch import enqueue
from webapp.outbox.kinds import Status
from webapp.outbox.perform import claimable
from webapp.outbox.periodic import run_once
from webapp.services import calendar_sync, idempotency, privacy
from webapp.services.bookings import complete_booking

#: rows handed to the queue by one sweep at most (the next sweep takes the rest)
SWEEP_BATCH = 1000
#: the sweep's name in `periodic_runs`
SWEEP_JOB = "outbox-sweep"


def run_periodic_sweep(period: int) -> dict | None:
    """The timers' job: sweep unless another process already swept this period (then None)."""
    interval = current_app.config["SWEEP_INTERVAL_SECONDS"]
    return run_once(SWEEP_JOB, period, interval, run_sweep)


def run_sweep() -> dict:
    """Sweep now, then release the session of this thread."""
    try:
        return sweep(clock.now())
    finally:
        db.session.remove()


def sweep(now: datetime) -> dict:
    """Complete bookings whose end passed; enqueue due and stuck rows not already waiting."""
    completed = complete_finished_bookings(now)
    idempotency.forget_old_answers(now)
    privacy.apply_retention(now)  # erase personal data past retention, prune the audit log
    lease = current_app.config["OUTBOX_LEASE_SECONDS"]
    rows = db.session.execute(
        db.select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.due_at)
        .where(OutboxMessage.due_at <= now, claimable(now))
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(SWEEP_BATCH)).all()
    db.session.rollback()
    overdue_before = now - timedelta(seconds=lease)
    fresh = [r.id for r in rows if r.status == Status.PENDING and r.due_at > overdue_before]
    overdue = [r.id for r in rows if r.id not in set(fresh)]
    if fresh:
        enqueue(fresh, skip_waiting=True)
    if overdue:
        enqueue(overdue, skip_waiting=True, generation=str(int(now.timestamp()) // max(lease, 1)))
    # last, so the due emails are queued before any calendar server is waited for
    calendars = calendar_sync.refresh_due_sources(now)
    return {"completed": completed, "enqueued": len(rows), "calendars_read": calendars}


def complete_finished_bookings(now: datetime) -> int:
    """Mark confirmed bookings whose end has passed as completed (pending ones wait for an admin)."""
    ids = list(db.session.scalars(
        db.select(Booking.id).where(Booking.status == "confirmed", Booking.ends_at <= now)))
    db.session.rollback()
    for booking_id in ids:
        complete_booking(booking_id, now)
    return len(ids)
