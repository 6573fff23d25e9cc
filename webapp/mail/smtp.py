"""Send through an SMTP server configured with Flask-Mail's MAIL_* keys."""
import logging
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass

from webapp.mail.mime import build_mime
from webapp.mail.outgoing import MailError, OutgoingEmail, message_id_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpTransport:
    """One SMTP session per message, with a timeout so a hung server cannot block a worker."""

    host: str
    port: int = 25
    use_tls: bool = False
    use_ssl: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config: Mapping) -> "SmtpTransport":
        """Read MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS/SSL, MAIL_USERNAME/PASSWORD, MAIL_TIMEOUT."""
        return cls(
            host=config["MAIL_SERVER"],
            port=int(config.get("MAIL_PORT") or 25),
            use_tls=bool(config.get("MAIL_USE_TLS")),
            use_ssl=bool(config.get("MAIL_USE_SSL")),
            username=config.get("MAIL_USERNAME") or None,
            password=config.get("MAIL_PASSWORD") or None,
            timeout=float(config.get("MAIL_TIMEOUT") or 10.0),
        )

    def send(self, email: OutgoingEmail) -> str:
        """Deliver the message to the server and return its Message-ID."""
        message_id = message_id_of(email)
        mime = build_mime(email, message_id)
        try:
            with self._connect() as smtp:
                refused = smtp.send_message(mime, from_addr=email.from_email, to_addrs=email.to)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            # the codes, not the addresses: this text is logged and stored as the row's error
            raise MailError(f"all recipients refused (SMTP {', '.join(map(str, codes))})",
                            retryable=any(400 <= code < 500 for code in codes)) from exc
        except smtplib.SMTPResponseException as exc:
            # 4xx is "try again later"; 5xx is a permanent refusal of this message.
            raise MailError(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}",
                            retryable=exc.smtp_code < 500) from exc
        except OSError as exc:  # refused, timed out, dropped, TLS failure, other SMTP errors
            raise MailError(f"SMTP {self.host}:{self.port} unavailable: {exc}",
                            retryable=True, outage=True) from exc
        if refused:
            log.warning("SMTP refused %s recipient(s) of %s", len(refused), message_id)
        return message_id

    def _connect(self) -> smtplib.SMTP:
        """Open, secure and authenticate a session."""
        if self.use_ssl:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.use_tls and not self.use_ssl:
                smtp.starttls()
            if self.username and self.password:
                smtp.login(self.username, self.password)
        except BaseException:
            smtp.close()
            raise
        return smtp
