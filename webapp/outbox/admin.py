"""The admin's window on the outbox: what was sent, what failed and why, retrying, webhook deliveries."""
from dataclasses import dataclass
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func

from webapp.database import write_transaction
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.outbox.dispatch import enqueue
from webapp.outbox.kinds import Kind, Status
from webapp.outbox.write import webhook_key_prefix
from webapp.services.errors import NotAllowed, NotFound

#: what the outbox page lists
SHOWN_STATUSES = (Status.FAILED, Status.SENT)
PER_PAGE = 50


@dataclass(frozen=True)
class OutboxPage:
    """One page of outbox rows with a status, and how many failed in all (for the tab)."""

    messages: Pagination
    status: Status
    failed: int


def outbox_page(status: str, page: int = 1) -> OutboxPage:
    """Return a page of sent or failed outbox rows, newest first (past the end: the last page)."""
    status = Status(status) if status in SHOWN_STATUSES else Status.FAILED
    messages = _newest_first(db.select(OutboxMessage).where(OutboxMessage.status == status), page)
    failed = messages.total if status == Status.FAILED else failed_count()
    return OutboxPage(messages, status, failed)


def webhook_deliveries(page: int = 1, endpoint_id: int | None = None) -> Pagination:
    """Return a page of webhook deliveries in every state (of one endpoint), newest first."""
    query = db.select(OutboxMessage).where(OutboxMessage.kind == Kind.WEBHOOK)
    if endpoint_id is not None:
        query = query.where(OutboxMessage.key.startswith(webhook_key_prefix(endpoint_id),
                                                         autoescape=True))
    return _newest_first(query, page)


def _newest_first(query, page: int) -> Pagination:
    """Paginate `query` newest change first; a page past the end gives the last page."""
    query = query.order_by(OutboxMessage.updated_at.desc(), OutboxMessage.id.desc())
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
