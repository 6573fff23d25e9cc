"""SmtpTransport against a real SMTP server on loopback."""
import time
from email import message_from_bytes, policy

import pytest

from tests.integration.mail.support import INVITE, Inbox, free_port
from webapp.mail.outgoing import MailError
from webapp.mail.smtp import SmtpTransport


def _transport(port: int, **kwargs) -> SmtpTransport:
    return SmtpTransport(host="127.0.0.1", port=port, **kwargs)


def test_smtp_delivers_text_html_and_calendar_invite(smtp_server, make_email):
    inbox, port = smtp_server
    message_id = _transport(port).send(make_email(reply_to="desk@studiocentos.it"))

    [envelope] = inbox.envelopes
    assert envelope.mail_from == "noreply@studiocentos.it"
    assert envelope.rcpt_tos == ["ada@example.com"]
    msg = message_from_bytes(envelope.original_content, policy=policy.default)
    assert msg["Message-ID"] == message_id and message_id.endswith("@studiocentos.it>")
    assert msg["Subject"] == "Confirmed: Consultation, Mon 30 Mar 2026 08:00 BST"
    assert msg["From"].addresses[0].display_name == "StudiocentOS"
    assert msg["Reply-To"] == "desk@studiocentos.it"
    assert msg.get_content_type() == "multipart/mixed"
    alternative, attachment = msg.iter_parts()
    assert [p.get_content_type() for p in alternative.iter_parts()] == [
        "text/plain", "text/html", "text/calendar"]
    plain, html, inline_invite = alternative.iter_parts()
    assert "Caffè?" in plain.get_content() and "Caffè?" in html.get_content()
    assert inline_invite["Content-Type"].params["method"] == "REQUEST"
    assert inline_invite.get_payload(decode=True) == INVITE
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment["Content-Type"].params["method"] == "REQUEST"
    assert attachment.get_payload(decode=True) == INVITE


def test_smtp_sends_to_every_recipient(smtp_server, make_email):
    inbox, port = smtp_server
    _transport(port).send(make_email(to=["a@example.com", "b@example.com"]))
    assert inbox.envelopes[0].rcpt_tos == ["a@example.com", "b@example.com"]


def test_smtp_connection_refused_is_retryable(make_email):
    with pytest.raises(MailError) as caught:
        _transport(free_port()).send(make_email())
    assert caught.value.retryable


def test_smtp_server_that_never_answers_times_out_as_retryable(silent_server, make_email):
    started = time.monotonic()
    with pytest.raises(MailError) as caught:
        _transport(silent_server, timeout=0.5).send(make_email())
    assert caught.value.retryable
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("reply", "retryable"), [
    ("550 5.1.1 No such user", False),
    ("451 4.3.0 Try again later", True),
])
def test_smtp_refusal_is_retryable_only_when_temporary(smtp_server, make_email, reply, retryable):
    inbox, port = smtp_server
    inbox.rcpt_reply = reply
    with pytest.raises(MailError) as caught:
        _transport(port).send(make_email())
    assert caught.value.retryable is retryable
    assert inbox.envelopes == []


def test_header_injection_in_subject_is_refused_before_connecting(make_email):
    with pytest.raises(MailError) as caught:
        _transport(free_port()).send(make_email(subject="Hi\r\nBcc: everyone@example.com"))
    assert not caught.value.retryable


class PeerInbox(Inbox):
    """An inbox that also notes which client connection (address, port) sent each message."""

    def __init__(self):
        super().__init__()
        self.peers = []

    async def handle_DATA(self, server, session, envelope):
        self.peers.append(session.peer)
        return await super().handle_DATA(server, session, envelope)


def test_consecutive_messages_share_one_session_and_a_dropped_one_is_reopened(make_email):
    from aiosmtpd.controller import Controller

    inbox = PeerInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    transport = _transport(controller.port)
    try:
        for _ in range(3):
            transport.send(make_email())
        assert len(inbox.envelopes) == 3 and len(set(inbox.peers)) == 1  # one connection

        controller.stop()  # the server goes away and comes back: the kept session is dead
        controller = Controller(inbox, hostname="127.0.0.1", port=controller.port)
        controller.start()
        transport.send(make_email())
        assert len(inbox.envelopes) == 4 and len(set(inbox.peers)) == 2
    finally:
        transport.close()
        controller.stop()
