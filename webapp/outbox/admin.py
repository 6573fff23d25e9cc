"""The admin's window on the outbox: what waits and why, what was sent, what failed; retrying; webhook deliveries."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_

from webapp import clock
from webapp.database import write_transaction
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.outbox.dispatch import enqueue
from webapp.outbox.kinds import Kind, Status
from webapp.outbox.write import webhook_key_prefix
from webapp.services.errors import NotAllowed, NotFound

#: the outbox page's filters: rows still to go out (due, or tried and put back), failed, sent
WAITING = "waiting"
SHOWN = (WAITING, Status.FAILED, Status.SENT)
PER_PAGE = 50
#: a waiting row older than this is a backlog even before any error (nothing is taking it)
BACKLOG_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class OutboxPage:
    """One page of outbox rows of one filter, and how many failed in all (for the tab)."""

    messages: Pagination
    status: str
    failed: int


@dataclass(frozen=True)
class Backlog:
    """Rows that should have gone out and have not: how many, since when, and the last error."""

    count: int
    oldest_due_at: datetime | None
    last_error: str | None

    def age(self, now: datetime) -> timedelta:
        """How long the oldest waiting row has been due."""
        return max(now - self.oldest_due_at, timedelta(0)) if self.oldest_due_at else timedelta(0)

    def alarming(self, now: datetime) -> bool:
        """Whether the owner should be told: deliveries fail, or nothing has taken a row."""
        return self.count > 0 and (self.last_error is not None or self.age(now) >= BACKLOG_AFTER)


def waiting(now: datetime):
    """Rows still to go out: due now, or tried and put back for later (not future reminders)."""
    return (OutboxMessage.status.in_((Status.PENDING, Status.SENDING))
            & or_(OutboxMessage.due_at <= now, OutboxMessage.attempts > 0,
                  OutboxMessage.last_error.is_not(None)))


def outbox_page(status: str, page: int = 1, now: datetime | None = None) -> OutboxPage:
    """Return a page of waiting (oldest first), failed or sent rows (newest first).

    Past the end: the last page.
    """
    status = status if status in SHOWN else Status.FAILED
    if status == WAITING:
        messages = _paginate(db.select(OutboxMessage).where(waiting(now or clock.now()))
                             .order_by(OutboxMessage.due_at, OutboxMessage.id), page)
    else:
        messages = _newest_first(db.select(OutboxMessage).where(OutboxMessage.status == status), page)
    failed = messages.total if status == Status.FAILED else failed_count()
    return OutboxPage(messages, str(status), failed)


def backlog(now: datetime) -> Backlog:
    """Return the rows waiting to go out: count, the oldest due time, the latest error."""
    count, oldest = db.session.execute(
        db.select(func.count(), func.min(OutboxMessage.due_at))
        .where(waiting(now), OutboxMessage.due_at <= now)).one()
    last_error = db.session.scalar(
        db.select(OutboxMessage.last_error)
        .where(waiting(now), OutboxMessage.last_error.is_not(None))
        .order_by(OutboxMessage.updated_at.desc()).limit(1))
    return Backlog(count, oldest, last_error)


def webhook_deliveries(page: int = 1, endpoint_id: int | None = None) -> Pagination:
    """Return a page of webhook deliveries in every state (of one endpoint), newest first."""
    query = db.select(OutboxMessage).where(OutboxMessage.kind == Kind.WEBHOOK)
    if endpoint_id is not None:
        query = query.where(OutboxMessage.key.startswith(webhook_key_prefix(endpoint_id),
                                                         autoescape=True))
    return _newest_first(query, page)


def _newest_first(query, page: int) -> Pagination:
    """Paginate `query` newest change first; a page past the end gives the last page."""
    return _paginate(query.order_by(OutboxMessage.updated_at.desc(), OutboxMessage.id.desc()), page)


def _paginate(query, page: int) -> Pagination:
    """Paginate an ordered query; a page past the end gives the last page."""
    messages = db.paginate(query, page=max(1, page), per_page=PER_PAGE, error_out=False)
    if messages.pages and messages.page > messages.pages:
        messages = db.paginate(query, page=messages.pages, per_page=PER_PAGE, error_out=False)
    return messages


def failed_count() -> int:
    """Return how many rows failed for good (the admin's outbox tab and dashboard show it)."""
    return db.session.scalar(db.select(func.count()).where(OutboxMessage.status == Status.FAILED))


def retry_message(message_id: int, now: datetime) -> OutboxMessage:
    """Put a failed row back in the queue, due now, and hand it to the runner."""
    with write_transaction() as session:
        message = session.get(OutboxMessage, message_id, with_for_update=True)
        if message is None:
            raise NotFound("No such message.")
        if message.status != Status.FAILED:
            raise NotAllowed(f"A {message.status} message cannot be retried.")
        # a fresh set of attempts: the admin fixed the cause (or wants to see it again)
        message.status, message.due_at, message.claimed_until = Status.PENDING, now, None
        message.attempts = 0
    enqueue([message_id])
    return message
