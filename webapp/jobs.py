"""Outbox jobs (ids only): claim by status transition, perform, record; and the sweep.

A row is claimed by moving it to `sending` with a lease (`claimed_until`), so two workers
never perform it together; a worker that dies leaves a row the sweep re-claims after the
lease. Failures go back to `pending` with exponential backoff and end as `failed` after
OUTBOX_MAX_ATTEMPTS, with the error in `last_error`.
"""
import logging
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import and_, event, or_, update
from sqlalchemy.orm import Session

from webapp import clock, queue
from webapp.database import calendar_transaction
from webapp.extensions import db
from webapp.mail.outgoing import MailError
from webapp.mail.transports import transport_from_config
from webapp.meetings import ProviderError
from webapp.models import Booking, OutboxMessage
from webapp.outbox_actions import Defer, Skip, prepare
from webapp.services import idempotency

log = logging.getLogger(__name__)

#: session.info key holding (id, due_at) of outbox rows flushed in the open transaction
_NEW_ROWS = "outbox_new_rows"
#: the longest wait between two attempts
MAX_BACKOFF = timedelta(hours=6)
#: how long a row waiting for another step is put back (the sweep picks it up again)
DEFER_BY = timedelta(seconds=20)
#: rows handed to the queue by one sweep at most (the next sweep takes the rest)
SWEEP_BATCH = 1000


# -- enqueue after commit -------------------------------------------------------------------

@event.listens_for(Session, "after_flush")
def _remember_new_rows(session, _flush_context):
    """Note the outbox rows this transaction wrote, to enqueue them once it commits."""
    rows = [(obj.id, obj.due_at) for obj in session.new if isinstance(obj, OutboxMessage)]
    if rows:
        session.info.setdefault(_NEW_ROWS, []).extend(rows)


@event.listens_for(Session, "after_commit")
def _enqueue_committed_rows(session):
    """Hand the committed rows that are due now to the queue (the sweep takes later ones)."""
    rows = session.info.pop(_NEW_ROWS, None)
    if not rows or not has_app_context():
        return
    now = clock.now()
    due = [row_id for row_id, due_at in rows if due_at is None or due_at <= now]
    if due:
        enqueue(due)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_rows(session):
    """Rows of a rolled-back transaction never existed: enqueue nothing."""
    session.info.pop(_NEW_ROWS, None)


def enqueue(ids: list[int], *, skip_waiting: bool = False) -> None:
    """Queue outbox ids; if the queue is unreachable the sweep will queue them later."""
    try:
        queue.runner().enqueue(ids, skip_waiting=skip_waiting)
    except Exception:  # Redis down must never fail the request that already committed
        log.exception("Could not enqueue outbox rows %s; the sweep will retry", ids)


# -- perform one row -------------------------------------------------------------------------

def run_outbox_message(message_id: int) -> str:
    """The RQ job: perform outbox row `message_id` now; returns what happened."""
    try:
        return perform(message_id, clock.now())
    finally:
        db.session.remove()


def perform(message_id: int, now: datetime) -> str:
    """Claim the row, re-check its booking, do it, record the outcome."""
    row = claim(message_id, now)
    if row is None:
        return "not claimed"
    try:
        action = prepare(row, now)
        result = None
        if action.meeting:
            result = action.meeting()
        if action.email:
            result = transport_from_config(current_app.config, current_app.instance_path).send(
                action.email)
    except Skip as reason:
        _finish(message_id, "skipped", now, error=str(reason))
        return "skipped"
    except Defer as reason:
        return _defer(message_id, now, str(reason))
    except (MailError, ProviderError) as exc:
        return _retry_or_fail(message_id, now, str(exc), exc.retryable)
    except Exception as exc:  # a bug must not lose the row: retry, then fail visibly
        log.exception("Outbox row %s raised", message_id)
        return _retry_or_fail(message_id, now, f"{type(exc).__name__}: {exc}", True)
    _finish(message_id, "sent", now, record=action.record, result=result)
    return "sent"


def claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """Move a due row to `sending` with a lease; return it, or None if not ours to do."""
    lease = now + timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    with calendar_transaction() as session:
        claimed = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.due_at <= now, _claimable(now))
            .values(status="sending", attempts=OutboxMessage.attempts + 1,
                    claimed_until=lease, updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
    if claimed != 1:
        return None
    return db.session.get(OutboxMessage, message_id, populate_existing=True)


def _claimable(now: datetime):
    """Rows waiting to be done, or claimed by a worker whose lease ran out."""
    return or_(OutboxMessage.status == "pending",
               and_(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now))


def _finish(message_id: int, status: str, now: datetime, *, error: str | None = None,
            record=None, result=None) -> None:
    """Record the outcome, and what the action changes, in one transaction."""
    with calendar_transaction() as session:
        row = session.get(OutboxMessage, message_id, populate_existing=True)
        row.status, row.claimed_until, row.last_error = status, None, error
        if status == "sent":
            row.sent_at = now
        if record is not None:
            booking = session.get(Booking, row.booking_id) if row.booking_id else None
            record(booking, result, now)


def _defer(message_id: int, now: datetime, reason: str) -> str:
    """Put the row back for a little while without counting the attempt."""
    with calendar_transaction() as session:
        row = session.get(OutboxMessage, message_id, populate_existing=True)
        row.status, row.claimed_until, row.last_error = "pending", None, reason
        row.attempts -= 1
        row.due_at = now + DEFER_BY
    return "deferred"


def _retry_or_fail(message_id: int, now: datetime, error: str, retryable: bool) -> str:
    """Put the row back with backoff, or mark it failed after the last attempt."""
    config = current_app.config
    with calendar_transaction() as session:
        row = session.get(OutboxMessage, message_id, populate_existing=True)
        row.last_error, row.claimed_until = error[:2000], None
        if retryable and row.attempts < config["OUTBOX_MAX_ATTEMPTS"]:
            wait = timedelta(seconds=config["OUTBOX_RETRY_BASE_SECONDS"] * 2 ** (row.attempts - 1))
            row.status, row.due_at = "pending", now + min(wait, MAX_BACKOFF)
            outcome = "retry"
        else:
            row.status = outcome = "failed"
    log.warning("Outbox row %s: %s (%s)", message_id, outcome, error)
    return outcome


# -- the sweep -------------------------------------------------------------------------------

def run_sweep() -> dict:
    """The periodic job: complete finished bookings, queue what is due or stuck."""
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
        .where(OutboxMessage.due_at <= now, _claimable(now))
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(SWEEP_BATCH)))
    db.session.rollback()
    if ids:
        enqueue(ids, skip_waiting=True)
    return {"completed": completed, "enqueued": len(ids)}


def complete_finished_bookings(now: datetime) -> int:
    """Mark confirmed bookings whose end has passed as completed (pending ones wait for an admin)."""
    from webapp.services.bookings import complete_booking

    ids = list(db.session.scalars(
        db.select(Booking.id).where(Booking.status == "confirmed", Booking.ends_at <= now)))
    db.session.rollback()
    for booking_id in ids:
        complete_booking(booking_id, now)
    return len(ids)
