"""Fixtures for the transport tests: a real SMTP server, a SendGrid stub, emails to send."""
import socket
import threading

import pytest
from aiosmtpd.controller import Controller

from tests.integration.mail.sendgrid_stub import SendGridStub
from tests.integration.mail.support import INVITE, Inbox, free_port
from tests.unit.mail.conftest import make_booking, settings  # noqa: F401 (fixtures)
from webapp.mail.outgoing import Attachment, OutgoingEmail


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback; yields (inbox, port)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never says a word (a hung SMTP server)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


@pytest.fixture
def sendgrid():
    """A SendGrid API stub that fails the test on any request off the documented shape."""
    with SendGridStub() as stub:
        yield stub
    stub.assert_clean()


@pytest.fixture
def make_email():
    """Return a factory of emails with an invite attached; a test passes what matters to it."""
    def make(**fields) -> OutgoingEmail:
        fields.setdefault("to", ["ada@example.com"])
        fields.setdefault("subject", "Confirmed: Consultation, Mon 30 Mar 2026 08:00 BST")
        fields.setdefault("text", "Hello Ada,\n\nyour booking is confirmed. Caffè?\n")
        fields.setdefault("html", "<!doctype html><p>Hello Ada,</p><p>confirmed. Caffè?</p>")
        fields.setdefault("from_email", "noreply@studiocentos.it")
        fields.setdefault("from_name", "StudiocentOS")
        fields.setdefault("attachments", [Attachment(
            "invite.ics", "text/calendar; method=REQUEST; charset=UTF-8", INVITE, "REQUEST")])
        return OutgoingEmail(**fields)
    return make
