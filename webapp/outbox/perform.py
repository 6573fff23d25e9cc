"""Perform one outbox row: claim it by status transition, do its action, record the outcome.

A row is claimed by moving it to `sending` with a lease (`claimed_until`), so two workers
never perform it together; a worker that dies leaves a row the sweep re-claims after the
lease. Failures go back to `pending` with exponential backoff and end as `failed` after
OUTBOX_MAX_ATTEMPTS, with the error in `last_error`. An unknown kind fails at once.

The bookkeeping runs in plain write transactions that lock only the outbox row (and the
booking row an action records on), never the booking lock: an email never waits for, nor
holds up, someone booking a time.
"""
import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_

from webapp import clock
from webapp.database import write_transaction
from webapp.extensions import db
from webapp.mail.outgoing import MailError
from webapp.mail.transports import transport_from_config
from webapp.meetings import ProviderError
from webapp.models import Booking, OutboxMessage
from webapp.outbox.actions import Defer, Skip, UnknownKind, prepare
from webapp.outbox.kinds import Status

log = logging.getLogger(__name__)

#: the longest wait between two attempts
MAX_BACKOFF = timedelta(hours=6)
#: how long a row waiting for another step is put back (the sweep picks it up again)
DEFER_BY = timedelta(seconds=20)


def run_outbox_message(message_id: int) -> str:
    """The job (RQ or embedded): perform outbox row `message_id` now; returns what happened."""
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
        if action.call:
            result = action.call()
        if action.email:
            result = transport_from_config(current_app.config, current_app.instance_path).send(
                action.email)
    except Skip as reason:
        _finish(message_id, Status.SKIPPED, now, error=str(reason))
        return Status.SKIPPED
    except Defer as reason:
        return _defer(message_id, now, str(reason))
    except UnknownKind as exc:
        return _retry_or_fail(message_id, now, str(exc), retryable=False)
    except (MailError, ProviderError) as exc:
        return _retry_or_fail(message_id, now, str(exc), exc.retryable)
    except Exception as exc:  # a bug must not lose the row: retry, then fail visibly
        log.exception("Outbox row %s raised", message_id)
        return _retry_or_fail(message_id, now, f"{type(exc).__name__}: {exc}", True)
    _finish(message_id, Status.SENT, now, record=action.record, result=result)
    return Status.SENT


def claimable(now: datetime):
    """Rows waiting to be done, or claimed by a worker whose lease ran out."""
    return or_(OutboxMessage.status == Status.PENDING,
               and_(OutboxMessage.status == Status.SENDING, OutboxMessage.claimed_until < now))


def claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """Move a due row to `sending` with a lease; return it, or None if not ours to do."""
    lease = now + timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    with write_transaction() as session:
        # SKIP LOCKED: a row another worker is claiming right now is theirs, not a wait
        row = session.scalar(
            db.select(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.due_at <= now, claimable(now))
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True))
        if row is None:
            return None
        row.status, row.claimed_until, row.updated_at = Status.SENDING, lease, now
        row.attempts += 1
    return db.session.get(OutboxMessage, message_id, populate_existing=True)


def _locked_row(session, message_id: int) -> OutboxMessage:
    """Return our claimed row, locked for this transaction and read fresh."""
    return session.get(OutboxMessage, message_id, populate_existing=True, with_for_update=True)


def _finish(message_id: int, status: Status, now: datetime, *, error: str | None = None,
            record=None, result=None) -> None:
    """Record the outcome, and what the action changes, in one transaction."""
    with write_transaction() as session:
        row = _locked_row(session, message_id)
        row.status, row.claimed_until, row.last_error = status, None, error
        if status == Status.SENT:
            row.sent_at = now
        if record is not None:
            # a row lock on the booking orders this write with a booking writer changing it
            booking = session.get(Booking, row.booking_id, populate_existing=True,
                                  with_for_update=True) if row.booking_id else None
            record(booking, result, now)


def _defer(message_id: int, now: datetime, reason: str) -> str:
    """Put the row back for a little while without counting the attempt."""
    with write_transaction() as session:
        row = _locked_row(session, message_id)
        row.status, row.claimed_until, row.last_error = Status.PENDING, None, reason
        row.attempts -= 1
        row.due_at = now + DEFER_BY
    return "deferred"


def _retry_or_fail(message_id: int, now: datetime, error: str, retryable: bool) -> str:
    """Put the row back with backoff, or mark it failed after the last attempt."""
    config = current_app.config
    with write_transaction() as session:
        row = _locked_row(session, message_id)
        row.last_error, row.claimed_until = error[:2000], None
        if retryable and row.attempts < config["OUTBOX_MAX_ATTEMPTS"]:
            wait = timedelta(seconds=config["OUTBOX_RETRY_BASE_SECONDS"] * 2 ** (row.attempts - 1))
            row.status, row.due_at = Status.PENDING, now + min(wait, MAX_BACKOFF)
            outcome = "retry"
        else:
            row.status = outcome = Status.FAILED
    log.warning("Outbox row %s: %s (%s)", message_id, outcome, error)
    return outcome
