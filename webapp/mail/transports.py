"""Pick the transport the configuration asks for: SendGrid (SMTP fallback), SMTP, or files."""
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from webapp.mail.filestore import FileTransport
from webapp.mail.outgoing import MailError, OutgoingEmail
from webapp.mail.sendgrid import SendGridTransport
from webapp.mail.smtp import SmtpTransport

__all__ = ["FallbackTransport", "FileTransport", "MailError", "SendGridTransport",
           "SmtpTransport", "Transport", "transport_from_config"]

log = logging.getLogger(__name__)


class Transport(Protocol):
    """Anything that sends an OutgoingEmail and returns a message id (or a file path)."""

    def send(self, email: OutgoingEmail) -> str:
        """Send `email`; raise MailError (retryable or not) when it cannot."""


@dataclass(frozen=True)
class FallbackTransport:
    """Try `primary`; when it fails, send through `fallback` instead."""

    primary: Transport
    fallback: Transport

    def send(self, email: OutgoingEmail) -> str:
        """Send through the first transport that accepts the message."""
        try:
            return self.primary.send(email)
        except MailError as first:
            log.warning("Primary mail transport failed (%s); falling back", first)
            try:
                return self.fallback.send(email)
            except MailError as second:
                raise MailError(f"{first}; fallback: {second}",
                                retryable=first.retryable or second.retryable,
                                outage=first.outage and second.outage) from second


def transport_from_config(config: Mapping, instance_path: str | Path = "instance") -> Transport:
    """Return SendGrid (SMTP as fallback), else SMTP if MAIL_SERVER is set, else .eml files."""
    smtp = SmtpTransport.from_config(config) if config.get("MAIL_SERVER") else None
    if config.get("SENDGRID_API_KEY"):
        sendgrid = SendGridTransport(
            api_key=config["SENDGRID_API_KEY"],
            base_url=config.get("SENDGRID_API_BASE_URL") or "https://api.sendgrid.com",
            timeout=float(config.get("SENDGRID_TIMEOUT") or 10.0),
        )
        return FallbackTransport(sendgrid, smtp) if smtp else sendgrid
    if smtp:
        return smtp
    return FileTransport(config.get("MAIL_DIR") or Path(instance_path) / "mail")
