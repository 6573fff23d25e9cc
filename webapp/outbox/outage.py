"""Waiting out a shared dependency: when the mail server is unreachable, back off the transport.

A connection-level failure says nothing about the message, so it neither counts against the
row nor grows the row's own backoff: every waiting row is due again at the transport's next
try (OUTBOX_OUTAGE_RETRY_SECONDS, doubled up to OUTBOX_OUTAGE_MAX_SECONDS). The first send
that succeeds ends the outage and makes every row waiting for it due at once, so a backlog
drains at full speed as soon as the server is back. A timer queues the waiting rows at each
next try, so nothing waits for the minute's sweep.
"""
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from webapp.database import write_transaction
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.outbox.kinds import Status

log = logging.getLogger(__name__)

#: how last_error starts for a row waiting for the transport (the sweep and the page read it)
OUTAGE_PREFIX = "Waiting for the mail server: "


class TransportBackoff:
    """This process's view of the mail transport: up, or down since when and until when."""

    def __init__(self):
        self._lock = threading.Lock()
        self._delay: float = 0.0
        self._resume_at: datetime | None = None

    def failed(self, now: datetime, base: float, maximum: float,
               on_resume: Callable[[], None]) -> datetime:
        """Note a transport failure; return when the transport is tried next.

        The first failure after a try schedules `on_resume` for the next one (a daemon timer).
        """
        with self._lock:
            if self._resume_at is None or now >= self._resume_at:
                self._delay = min(maximum, self._delay * 2 if self._delay else base)
                self._resume_at = now + timedelta(seconds=self._delay)
                log.warning("Mail transport unreachable; trying again in %ss", self._delay)
                timer = threading.Timer(self._delay, on_resume)
                timer.daemon = True
                timer.start()
            return self._resume_at

    def succeeded(self) -> bool:
        """Note a send that went through; return True when it ended an outage."""
        with self._lock:
            ended = self._resume_at is not None
            self._delay, self._resume_at = 0.0, None
        return ended


#: one per process: every worker thread shares what it learns about the transport
BACKOFF = TransportBackoff()


def waiting_for_transport():
    """Rows put back because the transport was down (not for a fault of their own)."""
    return (OutboxMessage.status == Status.PENDING) & OutboxMessage.last_error.startswith(OUTAGE_PREFIX)


def due_waiters(now: datetime, limit: int = 1000) -> list[int]:
    """Return the ids of rows waiting for the transport that are due by `now`."""
    ids = list(db.session.scalars(db.select(OutboxMessage.id).where(
        waiting_for_transport(), OutboxMessage.due_at <= now)
        .order_by(OutboxMessage.due_at, OutboxMessage.id).limit(limit)))
    db.session.rollback()
    return ids


def release_waiting_rows(now: datetime) -> list[int]:
    """Make every row waiting for the transport due now; return their ids to enqueue."""
    with write_transaction() as session:
        rows = list(session.scalars(db.select(OutboxMessage).where(
            waiting_for_transport(), OutboxMessage.due_at > now)
            .with_for_update(skip_locked=True)))
        for row in rows:
            row.due_at = now
        ids = [row.id for row in rows]
    if ids:
        log.info("Mail transport is back: %s waiting rows are due now", len(ids))
    return ids
