"""Write emails as .eml files instead of sending them (the default with no mail service)."""
import logging
from datetime import datetime, timezone
from pathlib import Path

from webapp.mail.mime import build_mime
from webapp.mail.outgoing import MailError, OutgoingEmail, message_id_of

log = logging.getLogger(__name__)


class FileTransport:
    """Save each message as `<directory>/<UTC time>-<message id>.eml` and log where."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def send(self, email: OutgoingEmail) -> str:
        """Write the message and return the file's path."""
        message_id = message_id_of(email)
        mime = build_mime(email, message_id)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        path = self.directory / f"{stamp}-{message_id.strip('<>').partition('@')[0]}.eml"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            path.write_bytes(mime.as_bytes())
        except OSError as exc:
            raise MailError(f"cannot write {path}: {exc}", retryable=True) from exc
        # neither the subject nor the recipients: both may name the client
        log.info("Email %s written to %s", message_id, path)
        return str(path)
