"""A live site that mails a real SMTP server: its config, the client's emails, the booking stored."""
import time
from email.message import EmailMessage

import pytest

from tests.integration.notifications.support import Mailbox
from webapp.extensions import db
from webapp.models import Booking


@pytest.fixture
def app_config(mailbox):
    """Mail the test's SMTP server from the in-process outbox (no Redis), real clock; import it into a module."""
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mailbox.port, "MAIL_USE_TLS": False,
            "JOBS_AUTOSTART": True, "FROM_EMAIL": "noreply@studio.example"}


def wait_for_email(mailbox: Mailbox, to: str, subject_start: str, timeout: float = 30) -> EmailMessage:
    """Return the first message to `to` whose subject starts with `subject_start`, waiting for it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in mailbox.messages():
            if message["To"] == to and message["Subject"].strip().startswith(subject_start):
                return message
        time.sleep(0.1)
    raise AssertionError(f"no {subject_start!r} email to {to} arrived; got {mailbox.subjects()}")


def stored_booking() -> Booking:
    """Return the one booking as stored now."""
    db.session.remove()
    return db.session.scalar(db.select(Booking))
