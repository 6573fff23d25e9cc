"""On PostgreSQL the outbox never waits for the booking lock: emails go out while bookings queue."""
import threading
from datetime import datetime, timezone

import psycopg
import pytest

from tests.integration.notifications.support import ADMIN, book, rows, weekday_at
from webapp.database import CALENDAR_LOCK_KEY
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.outbox.perform import perform
from webapp.services.hosts import default_host


@pytest.fixture
def database_url(postgres_url):
    """The booking lock is a PostgreSQL advisory lock."""
    return postgres_url


@pytest.fixture
def app_config(mailbox):
    """No Redis: the test performs the rows itself, mailing a real SMTP server."""
    return {"REDIS_URL": None, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mailbox.port,
            "MAIL_USE_TLS": False, "ADMIN_EMAIL": ADMIN}


@pytest.fixture
def booking_lock_held(app):
    """Hold the booking writers' advisory lock (the default host's) on another connection for the whole test."""
    dsn = app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://")
    key = (CALENDAR_LOCK_KEY, default_host().id)
    with psycopg.connect(dsn, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", key)
        yield
        other.execute("SELECT pg_advisory_unlock(%s, %s)", key)


def test_an_email_is_claimed_and_sent_while_another_connection_holds_the_booking_lock(
        app, mailbox, request):
    now = datetime.now(timezone.utc)
    book(weekday_at(10, 3, now), now)  # booking takes the lock: do it before it is held
    [notice] = rows("admin_new_booking")
    request.getfixturevalue("booking_lock_held")

    outcome = []
    worker = threading.Thread(target=lambda: _perform_in(app, notice.id, now, outcome), daemon=True)
    worker.start()
    worker.join(20)

    assert not worker.is_alive(), "the outbox waited for the booking lock"
    assert outcome == ["sent"]
    assert db.session.get(OutboxMessage, notice.id, populate_existing=True).status == "sent"
    assert [m["To"] for m in mailbox.messages()] == [ADMIN]


def _perform_in(app, message_id: int, now: datetime, outcome: list) -> None:
    """Perform one row in a worker thread with its own app context (and session)."""
    with app.app_context():
        try:
            outcome.append(perform(message_id, now))
        finally:
            db.session.remove()
