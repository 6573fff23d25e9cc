"""SendGridTransport against a local stub of the v3 mail/send API."""
import base64

import pytest

from tests.integration.mail.sendgrid_stub import API_KEY
from tests.integration.mail.support import INVITE, free_port
from webapp.mail.outgoing import MailError
from webapp.mail.sendgrid import SendGridTransport


def test_sendgrid_posts_the_documented_request_and_returns_the_message_id(sendgrid, make_email):
    transport = SendGridTransport(api_key=API_KEY, base_url=sendgrid.url)
    message_id = transport.send(make_email(reply_to="desk@studiocentos.it"))

    [request] = sendgrid.calls()
    assert (request.method, request.path) == ("POST", "/v3/mail/send")
    assert request.header("authorization") == f"Bearer {API_KEY}"
    body = request.json()
    assert body["personalizations"] == [{"to": [{"email": "ada@example.com"}]}]
    assert body["from"] == {"email": "noreply@studiocentos.it", "name": "StudiocentOS"}
    assert body["reply_to"] == {"email": "desk@studiocentos.it"}
    assert body["subject"] == "Confirmed: Consultation, Mon 30 Mar 2026 08:00 BST"
    assert [part["type"] for part in body["content"]] == ["text/plain", "text/html"]
    assert "Caffè?" in body["content"][0]["value"]
    [attachment] = body["attachments"]
    assert attachment["filename"] == "invite.ics"
    assert attachment["type"] == "text/calendar; method=REQUEST; charset=UTF-8"
    assert attachment["disposition"] == "attachment"
    assert base64.b64decode(attachment["content"]) == INVITE
    assert body["headers"] == {"Message-ID": message_id}


def test_sendgrid_omits_optional_fields_it_has_no_value_for(sendgrid, make_email):
    SendGridTransport(api_key=API_KEY, base_url=sendgrid.url).send(make_email(attachments=[]))
    body = sendgrid.calls()[0].json()
    assert "reply_to" not in body and "attachments" not in body


@pytest.mark.parametrize(("status", "retryable"), [(400, False), (401, False), (413, False),
                                                   (429, True), (500, True), (503, True)])
def test_sendgrid_error_status_decides_retry(sendgrid, make_email, status, retryable):
    sendgrid.fail_next(status)
    with pytest.raises(MailError) as caught:
        SendGridTransport(api_key=API_KEY, base_url=sendgrid.url).send(make_email())
    assert caught.value.retryable is retryable
    assert str(status) in str(caught.value)


def test_sendgrid_wrong_key_is_refused_and_never_logged(sendgrid, make_email):
    with pytest.raises(MailError) as caught:
        SendGridTransport(api_key="SG.wrong", base_url=sendgrid.url).send(make_email())
    assert not caught.value.retryable
    assert "SG.wrong" not in str(caught.value)


def test_sendgrid_unreachable_is_retryable(make_email):
    transport = SendGridTransport(api_key=API_KEY, base_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(MailError) as caught:
        transport.send(make_email())
    assert caught.value.retryable
