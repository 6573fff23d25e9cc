"""Helpers for the notification tests: a mailbox over aiosmtpd, bookings, waiting for the outbox."""
import email
import email.policy
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller

from tests import factories
from tests.integration.mail.support import Inbox, free_port
from webapp import outbox
from webapp.extensions import db
from webapp.models import Booking, OutboxMessage

ROME = ZoneInfo("Europe/Rome")
CLIENT = "ada@example.com"
ADMIN = "owner@studio.example"


class Mailbox:
    """A real SMTP server on loopback that can be stopped and started on the same port."""

    def __init__(self, port: int | None = None):
        self.inbox = Inbox()
        self.port = port or free_port()
        self._controller = None

    def start(self) -> "Mailbox":
        """Listen on the port."""
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop listening (connections are refused from now on)."""
        if self._controller:
            self._controller.stop()
            self._controller = None

    def messages(self) -> list[email.message.EmailMessage]:
        """Return every message received so far, parsed."""
        return [email.message_from_bytes(env.content, policy=email.policy.default)
                for env in self.inbox.envelopes]

    def subjects(self, prefix: str = "") -> list[str]:
        """Return the subjects received, those starting with `prefix` only."""
        return [m["Subject"] for m in self.messages() if m["Subject"].startswith(prefix)]


def calendar_part(message) -> bytes:
    """Return the text/calendar alternative of a message."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar" and not part.get_filename():
            return part.get_payload(decode=True)
    raise AssertionError(f"no calendar part in {message['Subject']!r}")


def text_part(message) -> str:
    """Return the plain-text body of a message."""
    return message.get_body(preferencelist=("plain",)).get_content()


def weekday_at(hour: int, days_ahead: int, now: datetime) -> datetime:
    """Return `hour`:00 Rome time on the first weekday at least `days_ahead` days after now."""
    day: date = (now + timedelta(days=days_ahead)).astimezone(ROME).date()
    while day.weekday() > 4:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=ROME).astimezone(timezone.utc)


def book(start: datetime, now: datetime, service: str = "consultation", **fields) -> Booking:
    """Book through the service for Ada Lovelace <CLIENT>, as a client would."""
    return factories.book(start, now, service_type=service, client_name="Ada Lovelace",
                          client_email=CLIENT, **fields).booking


def rows(kind: str | None = None) -> list[OutboxMessage]:
    """Return the outbox rows (of one kind), read fresh."""
    db.session.rollback()
    query = db.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def wait_until(predicate, timeout: float = 30.0, what: str = "the condition"):
    """Poll `predicate` until it is truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def settled() -> bool:
    """Return True when no outbox row is due and still waiting or in flight."""
    now = datetime.now(timezone.utc)
    return not [r for r in rows() if r.status == "sending"
                or (r.status == "pending" and r.due_at <= now)]


def wait_settled(timeout: float = 30.0) -> None:
    """Wait until the worker has done everything that is due and every job queued so far."""
    deadline = time.monotonic() + timeout
    while True:
        wait_until(settled, max(deadline - time.monotonic(), 0.1), "the outbox to settle")
        _barrier(max(deadline - time.monotonic(), 0.1))
        if settled() and outbox.runner().queue.count == 0:
            return


def _barrier(timeout: float) -> None:
    """Queue a no-op job and wait for it: one worker works in order, so all before it are done."""
    job = outbox.runner().queue.enqueue(outbox.JOB, -1, job_id=f"barrier-{uuid.uuid4().hex}",
                                       result_ttl=60)
    wait_until(lambda: job.get_status(refresh=True) == "finished", timeout, "the queue to drain")


def make_due(kind: str) -> None:
    """Pretend time passed: every pending row of `kind` is due now."""
    past = datetime.now(timezone.utc) - timedelta(seconds=1)
    db.session.rollback()  # write from a fresh transaction: an old SQLite snapshot cannot upgrade
    db.session.execute(db.update(OutboxMessage).where(
        OutboxMessage.kind == kind, OutboxMessage.status == "pending").values(due_at=past))
    db.session.commit()
