"""Send through an SMTP server configured with Flask-Mail's MAIL_* keys.

A worker thread keeps its session open between messages (opening, STARTTLS and AUTH cost more
than sending), checks it with NOOP when it has been idle, and opens a new one when the kept one
has died; a failure on a fresh session is the server's, reported as before (`outage`).
"""
import logging
import smtplib
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from webapp.mail.mime import build_mime
from webapp.mail.outgoing import MailError, OutgoingEmail, message_id_of

log = logging.getLogger(__name__)

#: a kept session idle longer than this is checked with NOOP before use (servers drop idle ones)
IDLE_CHECK_SECONDS = 5.0
#: each thread's open sessions, by transport
_kept = threading.local()


@dataclass
class _Session:
    """An open SMTP session and when it was last used."""

    smtp: smtplib.SMTP
    used_at: float


@dataclass(frozen=True)
class SmtpTransport:
    """SMTP with one session kept per thread and a timeout so a hung server cannot block a worker."""

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
            refused = self._send_kept(mime, email)
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

    def _send_kept(self, mime, email: OutgoingEmail) -> dict:
        """Send on this thread's kept session; if that session had died, once more on a new one."""
        session, reused = self._session()
        try:
            refused = session.smtp.send_message(mime, from_addr=email.from_email, to_addrs=email.to)
        except smtplib.SMTPServerDisconnected:
            self._drop()
            if not reused:
                raise
            session, _ = self._session()  # the server had closed the kept session
            try:
                refused = session.smtp.send_message(mime, from_addr=email.from_email, to_addrs=email.to)
            except BaseException:
                self._drop()
                raise
        except BaseException:
            self._drop()  # never reuse a session in an unknown state
            raise
        session.used_at = time.monotonic()
        return refused

    def _session(self) -> tuple[_Session, bool]:
        """Return this thread's session to the server (opening one if needed) and whether it was kept."""
        sessions = _kept.__dict__.setdefault("sessions", {})
        session = sessions.get(self)
        if session is not None and time.monotonic() - session.used_at > IDLE_CHECK_SECONDS:
            try:
                alive = session.smtp.noop()[0] == 250
            except (smtplib.SMTPException, OSError):
                alive = False
            if not alive:
                self._drop()
                session = None
        if session is not None:
            return session, True
        session = sessions[self] = _Session(self._connect(), time.monotonic())
        return session, False

    def _drop(self) -> None:
        """Close and forget this thread's session, if any."""
        session = _kept.__dict__.get("sessions", {}).pop(self, None)
        if session is not None:
            try:
                session.smtp.quit()
            except (smtplib.SMTPException, OSError):
                session.smtp.close()

    def close(self) -> None:
        """Close this thread's kept session (a worker stopping; tests)."""
        self._drop()

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
