"""The admin's window on the outbox: what was sent, what failed and why, and retrying."""
from dataclasses import dataclass
from datetime import datetime
from math import ceil

from sqlalchemy import func

from webapp import jobs
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.services.errors import NotAllowed, NotFound

#: what the outbox page lists
SHOWN_STATUSES = ("failed", "sent")
PER_PAGE = 50


@dataclass(frozen=True)
class OutboxPage:
    """One page of outbox rows with a status."""

    items: list[OutboxMessage]
    status: str
    page: int
    pages: int
    failed: int


def outbox_page(status: str, page: int = 1) -> OutboxPage:
    """Return a page of sent or failed outbox rows, newest first."""
    status = status if status in SHOWN_STATUSES else "failed"
    total = db.session.scalar(db.select(func.count()).where(OutboxMessage.status == status))
    failed = total if status == "failed" else db.session.scalar(
        db.select(func.count()).where(OutboxMessage.status == "failed"))
    pages = max(1, ceil(total / PER_PAGE))
    page = min(max(1, page), pages)
    items = list(db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.status == status)
        .order_by(OutboxMessage.updated_at.desc(), OutboxMessage.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return OutboxPage(items, status, page, pages, failed)


def retry_message(message_id: int, now: datetime) -> OutboxMessage:
    """Put a failed row back in the queue, due now; the worker's sweep picks it up."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("No such message.")
    if message.status != "failed":
        raise NotAllowed(f"A {message.status} message cannot be retried.")
    # a fresh set of attempts: the admin fixed the cause (or wants to see it again)
    message.status, message.due_at, message.claimed_until, message.attempts = "pending", now, None, 0
    db.session.commit()
    jobs.enqueue([message.id])
    return message
