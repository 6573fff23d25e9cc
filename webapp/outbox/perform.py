"""Perform one outbox row: claim it by status transition, do its action, record the outcome.

A row is claimed by moving it to `sending` with a lease (`claimed_until`, OUTBOX_LEASE_SECONDS)
and counting the attempt (`attempts`, `last_attempt_at`), committed before anything is sent.
Two live workers never perform a row together; a worker that dies leaves a row the sweep
re-claims once the lease ran out (counted in `lapsed_claims`: its email may have gone out).
An outcome is recorded only by the claim that holds the row, so a worker finishing after its
lease never records twice; a sent email is recorded at once, retried while the database is
briefly unreachable, so the window between the server's accept and the record stays short.

Every email of a row carries the same Message-ID on every attempt, so a repeat (the only
duplicate possible: accepted, then the worker died before the record) collapses in mail clients.

Failures go back to `pending` with exponential backoff and end as `failed` after
OUTBOX_MAX_ATTEMPTS, with the error in `last_error`; an unreachable mail server instead backs
off the transport (`outage`) without counting against the row. An unknown kind fails at once.

The bookkeeping runs in plain write transactions that lock only the outbox row (and the
booking row an action records on), never the booking lock: an email never waits for, nor
holds up, someone booking a time.

A job whose row is an email goes on with the next due emails (up to DRAIN_LIMIT, for at
most DRAIN_SECONDS), each
claimed in the transaction that records the one before as sent: one commit per email instead
of two, on one SMTP session, and still only one row in flight (claimed, not yet recorded) per
worker thread at any moment. The jobs of the rows it took find them done.
"""
import hashlib
import logging
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_
from sqlalchemy.exc import DBAPIError

from webapp import clock
from webapp.database import write_transaction
from webapp.extensions import db
from webapp.logs import scrub
from webapp.mail.outgoing import MailError, stable_message_id
from webapp.mail.transports import transport_from_config
from webapp.meetings import ProviderError
from webapp.models import Booking, OutboxMessage
from webapp.outbox import outage
from webapp.outbox.actions import Action, Defer, Skip, UnknownKind, prepare
from webapp.outbox.aside import ASIDE
from webapp.outbox.kinds import ASIDE_KINDS, MAIL_KINDS, Status

log = logging.getLogger(__name__)

#: the longest wait between two attempts
MAX_BACKOFF = timedelta(hours=6)
#: how long a row waiting for another step is put back (the sweep picks it up again)
DEFER_BY = timedelta(seconds=20)
#: pause between tries to record a sent email while the database does not answer
RECORD_RETRY_PAUSE = 1.0
#: the most emails one job sends (its own and the next due ones), so other jobs get their turn
DRAIN_LIMIT = 100
#: and the longest it goes on claiming more, well inside the RQ job timeout (120 s)
DRAIN_SECONDS = 30.0


class Drain:
    """The due emails a job goes on with: how many more it may take, and the one it claimed next."""

    def __init__(self, limit: int, seconds: float = DRAIN_SECONDS):
        self.left, self.until = limit, time.monotonic() + seconds
        #: the id of the row claimed next (set once the claiming transaction committed)
        self.next: int | None = None

    def claim_next(self, session) -> int | None:
        """Claim the next due email in the caller's transaction (the one recording the last); its id."""
        if self.left <= 0 or time.monotonic() > self.until:
            return None
        now = clock.now()
        row = session.scalar(
            db.select(OutboxMessage)
            .where(OutboxMessage.kind.in_(MAIL_KINDS), OutboxMessage.due_at <= now, claimable(now))
            .order_by(OutboxMessage.due_at, OutboxMessage.id).limit(1)
            .with_for_update(skip_locked=True))
        if row is None:
            return None
        _take(row, now)
        self.left -= 1
        return row.id


@dataclass(frozen=True)
class Claim:
    """Our hold on a row: its id, the attempt we counted (who holds it), and when we claimed it."""

    message_id: int
    attempt: int
    at: datetime


def run_outbox_message(message_id: int) -> str:
    """The job (RQ or embedded): perform outbox row `message_id` now; returns what happened."""
    try:
        return perform(message_id, clock.now())
    finally:
        db.session.remove()


def perform(message_id: int, now: datetime) -> str:
    """Perform the row here, or hand a meeting step to a meeting thread (which claims it there)."""
    kind = _claimable_kind(message_id, now)
    if kind is None:  # done already (another job sent it on), or not due: no write transaction
        return "not claimed"
    threads = current_app.config.get("OUTBOX_MEETING_THREADS") or 0
    if threads > 0 and kind in ASIDE_KINDS:
        # a slow provider holds that thread, never the emails queued behind it; the claim
        # (and its lease) starts when the thread takes the row, not while it waits for one
        ASIDE.submit(current_app._get_current_object(), threads, run_outbox_here, message_id)
        return "handed to a meeting thread"
    return perform_here(message_id, now)


def run_outbox_here(message_id: int) -> str:
    """Perform the row on this thread now (a meeting thread's job)."""
    return perform_here(message_id, clock.now())


def perform_here(message_id: int, now: datetime) -> str:
    """Claim the row, re-check its booking, do it, record the outcome; an email's job then
    sends the next due emails too (see the module's docstring)."""
    row = claim(message_id, now)
    if row is None:
        return "not claimed"
    drain = Drain(DRAIN_LIMIT - 1) if row.kind in MAIL_KINDS else None
    outcome = carry_out(Claim(message_id, row.attempts, now), row, drain)
    while drain is not None and drain.next is not None:
        claimed, drain.next = drain.next, None
        _discard(claimed)
        row = db.session.get(OutboxMessage, claimed, populate_existing=True)
        carry_out(Claim(row.id, row.attempts, row.last_attempt_at), row, drain)
    return outcome


def _claimable_kind(message_id: int, now: datetime) -> str | None:
    """Return the row's kind if it can be claimed now, else None (one cheap read, before any claim)."""
    kind = db.session.scalar(db.select(OutboxMessage.kind).where(
        OutboxMessage.id == message_id, OutboxMessage.due_at <= now, claimable(now)))
    db.session.rollback()
    return kind


def carry_out(held: Claim, row: OutboxMessage, drain: Drain | None = None) -> str:
    """Re-check the claimed row's booking, do its action, record the outcome (with `drain`,
    claiming the next due email in the same transaction when it was sent)."""
    message_id, now = held.message_id, held.at
    action = Action()
    try:
        action = prepare(row, now)
        result = None
        if action.meeting:
            result = action.meeting()
        if action.call:
            result = action.call()
        if action.email:
            email = replace(action.email, message_id=message_id_for(row, action.email.from_email))
            result = transport_from_config(current_app.config, current_app.instance_path).send(email)
    except Skip as reason:
        _finish(held, Status.SKIPPED, error=str(reason))
        return Status.SKIPPED
    except Defer as reason:
        return _put_back(held, str(reason), held.at + DEFER_BY)
    except UnknownKind as exc:
        return _retry_or_fail(held, str(exc), retryable=False)
    except MailError as exc:
        if exc.outage:
            return _wait_for_transport(held, str(exc))
        return _retry_or_fail(held, str(exc), exc.retryable)
    except ProviderError as exc:
        return _retry_or_fail(held, str(exc), exc.retryable, on_failure=action.on_failure)
    except Exception as exc:  # a bug must not lose the row: retry, then fail visibly
        log.exception("Outbox row %s raised", message_id)
        return _retry_or_fail(held, f"{type(exc).__name__}: {exc}", True)
    _record_sent(held, action, result, drain)
    if action.email and outage.BACKOFF.succeeded():
        _enqueue(outage.release_waiting_rows(clock.now()))
    return Status.SENT


def message_id_for(row: OutboxMessage, from_email: str) -> str:
    """Return the row's Message-ID: the same on every attempt, unique per row and key."""
    digest = hashlib.sha256(row.key.encode()).hexdigest()[:16]
    return stable_message_id(f"outbox.{row.id}.{digest}", from_email)


def claimable(now: datetime):
    """Rows waiting to be done, or claimed by a worker whose lease ran out."""
    return or_(OutboxMessage.status == Status.PENDING,
               and_(OutboxMessage.status == Status.SENDING, OutboxMessage.claimed_until < now))


def claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """Move a due row to `sending` with a lease, counting the attempt; None if not ours to do."""
    with write_transaction() as session:
        # SKIP LOCKED: a row another worker is claiming right now is theirs, not a wait
        row = session.scalar(
            db.select(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.due_at <= now, claimable(now))
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True))
        if row is None:
            return None
        _take(row, now)
    return db.session.get(OutboxMessage, message_id, populate_existing=True)


def _take(row: OutboxMessage, now: datetime) -> None:
    """Move a claimable row (read under its lock) to `sending` with a lease, counting the attempt."""
    if row.status == Status.SENDING:  # its worker stopped before recording anything
        row.lapsed_claims = (row.lapsed_claims or 0) + 1
        log.warning("Outbox row %s: lease ran out after attempt %s; claiming again",
                    row.id, row.attempts)
    lease = now + timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    row.status, row.claimed_until, row.updated_at = Status.SENDING, lease, now
    row.attempts, row.last_attempt_at = row.attempts + 1, now


def _locked_row(session, message_id: int) -> OutboxMessage:
    """Return the row, locked for this transaction and read fresh."""
    return session.get(OutboxMessage, message_id, populate_existing=True, with_for_update=True)


def _holds(row: OutboxMessage, held: Claim, status: Status) -> bool:
    """Whether `held` may record `status` on the row (read under its lock).

    The claim holding the row records anything. A send that went out is recorded even
    after the lease passed to another claim, unless an outcome is already there, so the
    other claim finds the row sent and records nothing: one record per row.
    """
    if row.status == Status.SENDING and row.attempts == held.attempt:
        return True
    if status == Status.SENT and row.status in (Status.PENDING, Status.SENDING):
        return True
    log.warning("Outbox row %s: attempt %s lost its claim; its %s is not recorded",
                held.message_id, held.attempt, status)
    return False


def _locked_booking(session, row: OutboxMessage) -> Booking | None:
    """Lock the row's booking, which orders an action's record with a booking writer."""
    return session.get(Booking, row.booking_id, populate_existing=True,
                       with_for_update=True) if row.booking_id else None


def _finish(held: Claim, status: Status, *, error: str | None = None, record=None,
            result=None, drain: Drain | None = None) -> None:
    """Record the outcome, and what the action changes, in one transaction (with `drain`, which
    also claims the next due email)."""
    taken = None
    with write_transaction() as session:
        row = _locked_row(session, held.message_id)
        if _holds(row, held, status):
            row.status, row.claimed_until, row.last_error = status, None, error
            if status == Status.SENT:
                row.sent_at = held.at
            if record is not None:
                record(_locked_booking(session, row), result, held.at)
        if drain is not None:
            taken = drain.claim_next(session)
    if drain is not None:  # committed: the next row is ours
        drain.next = taken


def _record_sent(held: Claim, action: Action, result, drain: Drain | None = None) -> None:
    """Record a done action now; while the database is unreachable, keep trying within the lease.

    Giving up leaves the row to be claimed again after its lease: a possible duplicate.
    """
    deadline = time.monotonic() + current_app.config["OUTBOX_LEASE_SECONDS"] / 2
    while True:
        try:
            _finish(held, Status.SENT, record=action.record, result=result, drain=drain)
            return
        except DBAPIError:
            db.session.remove()
            if time.monotonic() >= deadline:
                raise
            log.warning("Outbox row %s was sent but cannot be recorded yet; retrying",
                        held.message_id)
            time.sleep(RECORD_RETRY_PAUSE)


def _put_back(held: Claim, reason: str, due_at: datetime) -> str:
    """Put the row back until `due_at` without counting the attempt (nothing was tried)."""
    with write_transaction() as session:
        row = _locked_row(session, held.message_id)
        if not _holds(row, held, Status.PENDING):
            return "not recorded"
        row.status, row.claimed_until, row.last_error = Status.PENDING, None, reason
        row.attempts -= 1
        row.due_at = due_at
    return "deferred"


def _wait_for_transport(held: Claim, error: str) -> str:
    """The mail server is unreachable: wait for it with every other row, not on our own backoff."""
    config = current_app.config
    app = current_app._get_current_object()
    resume_at = outage.BACKOFF.failed(
        held.at, config["OUTBOX_OUTAGE_RETRY_SECONDS"], config["OUTBOX_OUTAGE_MAX_SECONDS"],
        on_resume=lambda: _release_due_waiters(app))
    outcome = _put_back(held, (outage.OUTAGE_PREFIX + error)[:2000], resume_at)
    return "waiting for the transport" if outcome == "deferred" else outcome


def _release_due_waiters(app) -> None:
    """At the transport's next try, queue the rows waiting for it (they fail fast if still down)."""
    with app.app_context():
        try:
            _enqueue(outage.due_waiters(clock.now()))
        except Exception:  # the database may be down too: the sweep queues them later
            log.exception("Could not queue the rows waiting for the mail server")
        finally:
            db.session.remove()


def _discard(message_id: int) -> None:
    """Take the queued job of a row this job claimed off the queue (a lapsed claim is re-queued by the sweep)."""
    from webapp.outbox.dispatch import discard

    discard([message_id])


def _enqueue(ids: list[int]) -> None:
    """Hand ids to the app's runner (imported here: dispatch imports the runners, which import us)."""
    from webapp.outbox.dispatch import enqueue

    if ids:
        enqueue(ids, skip_waiting=True)


def _retry_or_fail(held: Claim, error: str, retryable: bool, on_failure=None) -> str:
    """Put the row back with backoff, or mark it failed after the last attempt."""
    config, now = current_app.config, held.at
    with write_transaction() as session:
        row = _locked_row(session, held.message_id)
        if not _holds(row, held, Status.FAILED):
            return "not recorded"
        row.last_error, row.claimed_until = error[:2000], None
        if retryable and row.attempts < config["OUTBOX_MAX_ATTEMPTS"]:
            wait = timedelta(seconds=config["OUTBOX_RETRY_BASE_SECONDS"] * 2 ** (row.attempts - 1))
            row.status, row.due_at = Status.PENDING, now + min(wait, MAX_BACKOFF)
            outcome = "retry"
        else:
            row.status = outcome = Status.FAILED
        if on_failure is not None:
            on_failure(_locked_booking(session, row), now)
    # a mail server's refusal may quote the address it refused
    log.warning("Outbox row %s: %s (%s)", held.message_id, outcome, scrub(error))
    return outcome
