"""transport_from_config picks SendGrid, SMTP or files, and falls back from SendGrid to SMTP."""
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tests.integration.mail.sendgrid_stub import API_KEY
from tests.integration.mail.support import free_port
from webapp.mail.transports import (
    FallbackTransport,
    FileTransport,
    MailError,
    SendGridTransport,
    SmtpTransport,
    transport_from_config,
)

SMTP = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 2525, "MAIL_USE_TLS": False}


def test_sendgrid_key_alone_chooses_sendgrid():
    transport = transport_from_config({"SENDGRID_API_KEY": "SG.x"})
    assert isinstance(transport, SendGridTransport)
    assert transport.base_url == "https://api.sendgrid.com"


def test_sendgrid_key_with_smtp_falls_back_to_smtp():
    transport = transport_from_config({"SENDGRID_API_KEY": "SG.x", **SMTP})
    assert isinstance(transport, FallbackTransport)
    assert isinstance(transport.primary, SendGridTransport)
    assert transport.fallback == SmtpTransport(host="127.0.0.1", port=2525)


def test_smtp_server_alone_chooses_smtp_with_flask_mail_keys():
    transport = transport_from_config({
        "MAIL_SERVER": "smtp.example.org", "MAIL_PORT": 587, "MAIL_USE_TLS": True,
        "MAIL_USERNAME": "user", "MAIL_PASSWORD": "secret", "MAIL_TIMEOUT": 3})
    assert transport == SmtpTransport(host="smtp.example.org", port=587, use_tls=True,
                                      username="user", password="secret", timeout=3.0)


def test_nothing_configured_writes_files_under_instance_mail(tmp_path):
    transport = transport_from_config({"SENDGRID_API_KEY": "", "MAIL_SERVER": ""},
                                      instance_path=tmp_path)
    assert isinstance(transport, FileTransport)
    assert transport.directory == tmp_path / "mail"


def test_mail_dir_overrides_the_file_directory(tmp_path):
    transport = transport_from_config({"MAIL_DIR": str(tmp_path / "outbox")})
    assert transport.directory == tmp_path / "outbox"


def test_sendgrid_failure_is_delivered_by_smtp(sendgrid, smtp_server, make_email):
    inbox, port = smtp_server
    sendgrid.fail_next(500)
    transport = transport_from_config({
        "SENDGRID_API_KEY": API_KEY, "SENDGRID_API_BASE_URL": sendgrid.url,
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False})
    message_id = transport.send(make_email())
    assert len(sendgrid.calls()) == 1
    [envelope] = inbox.envelopes
    assert message_from_bytes(envelope.original_content, policy=policy.default)[
        "Message-ID"] == message_id


def test_sendgrid_success_does_not_touch_smtp(sendgrid, smtp_server, make_email):
    inbox, port = smtp_server
    transport = transport_from_config({
        "SENDGRID_API_KEY": API_KEY, "SENDGRID_API_BASE_URL": sendgrid.url,
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False})
    transport.send(make_email())
    assert len(sendgrid.calls()) == 1 and inbox.envelopes == []


@pytest.mark.parametrize("status", [400, 500])
def test_both_failing_is_retryable_because_smtp_may_recover(sendgrid, make_email, status):
    sendgrid.fail_next(status)
    transport = transport_from_config({
        "SENDGRID_API_KEY": API_KEY, "SENDGRID_API_BASE_URL": sendgrid.url,
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": free_port(), "MAIL_USE_TLS": False})
    with pytest.raises(MailError) as caught:
        transport.send(make_email())
    assert caught.value.retryable
    assert f"SendGrid {status}" in str(caught.value) and "fallback" in str(caught.value)


def test_file_transport_writes_a_parseable_eml_and_returns_its_path(tmp_path, make_email):
    path = Path(FileTransport(tmp_path / "mail").send(make_email()))
    assert path.parent == tmp_path / "mail" and path.suffix == ".eml"
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert msg["To"] == "ada@example.com"
    assert msg["Message-ID"].endswith("@studiocentos.it>")
    assert msg.get_body(("plain",)).get_content().startswith("Hello Ada,")
    assert msg.get_body(("html",)).get_content().startswith("<!doctype html>")
    assert [a.get_filename() for a in msg.iter_attachments()] == ["invite.ics"]


def test_file_transport_keeps_every_message(tmp_path, make_email):
    transport = FileTransport(tmp_path)
    paths = {transport.send(make_email()) for _ in range(3)}
    assert len(paths) == 3 and len(list(tmp_path.glob("*.eml"))) == 3
