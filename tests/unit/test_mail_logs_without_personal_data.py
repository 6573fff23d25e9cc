"""The mail transports log no client address or name (subjects of admin notices carry the name)."""
import logging

from webapp.mail.filestore import FileTransport
from webapp.mail.outgoing import OutgoingEmail


def test_writing_an_email_logs_neither_recipient_nor_subject(tmp_path, caplog):
    email = OutgoingEmail(to=["mario.rossi@example.com"], subject="New booking: Mario Rossi – Call",
                          text="Hello", html="<p>Hello</p>", from_email="studio@example.com",
                          from_name="Studio")
    with caplog.at_level(logging.INFO, logger="webapp.mail.filestore"):
        FileTransport(tmp_path).send(email)
    assert caplog.records, "the write is still logged"
    assert "mario" not in caplog.text.lower() and "Rossi" not in caplog.text
