"""Turn an OutgoingEmail into an RFC 5322 MIME message (SMTP and .eml files share it).

Built with the `email.mime` classes (the compat32 API): the same structure and encodings as
`EmailMessage.set_content` would give, at a fraction of the cost (no header parsing), which
matters when a worker drains thousands of emails.
"""
from datetime import datetime, timezone
from email import encoders, quoprimime
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import format_datetime, formataddr

from webapp.mail.outgoing import MailError, OutgoingEmail

#: the longest line of a quoted-printable body (what `EmailMessage.set_content` uses)
QP_LINE = 78


def build_mime(email: OutgoingEmail, message_id: str, now: datetime | None = None) -> Message:
    """Return multipart/mixed: alternative(text, html[, calendar invite]) + attachments."""
    try:
        _refuse_line_breaks(email)
        parts = [_text(email.text, "plain"), _text(email.html, "html")]
        for attachment in email.attachments:
            if attachment.inline_method:
                # Outlook shows the invite only from a text/calendar alternative with method=.
                # Bytes and base64, so the CRLF line ends RFC 5545 requires survive.
                parts.append(_binary("text", "calendar", attachment.data,
                                     {"method": attachment.inline_method, "charset": "utf-8"}))
        msg = alternative = MIMEMultipart("alternative", _subparts=parts)
        if email.attachments:
            msg = MIMEMultipart("mixed", _subparts=[alternative])
            for attachment in email.attachments:
                maintype, subtype, params = _split_content_type(attachment.content_type)
                part = _binary(maintype, subtype, attachment.data, params)
                part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
                msg.attach(part)
        for part in msg.walk():  # the email.mime classes stamp every part; only the message needs it
            if part is not msg:
                del part["MIME-Version"]
        msg["Subject"] = _header(email.subject)
        msg["From"] = formataddr((email.from_name, email.from_email), charset="utf-8")
        msg["To"] = ", ".join(email.to)
        if email.reply_to:
            msg["Reply-To"] = email.reply_to
        msg["Date"] = format_datetime(now or datetime.now(timezone.utc))
        msg["Message-ID"] = message_id
    except (ValueError, TypeError, UnicodeError) as exc:  # a bad address, a bad content type ...
        raise MailError(f"cannot build the message: {exc}", retryable=False) from exc
    return msg


def _refuse_line_breaks(email: OutgoingEmail) -> None:
    """Refuse a header value with a line break (header injection), as `EmailMessage` would."""
    values = [email.subject, email.from_name, email.from_email, email.reply_to or "", *email.to]
    if any("\r" in value or "\n" in value for value in values):
        raise ValueError("a header value contains a line break")


def _text(text: str, subtype: str) -> Message:
    """Return a UTF-8 text part in quoted-printable (safe through any relay, whatever the line
    lengths or charset), encoded exactly as `EmailMessage.set_content(cte="quoted-printable")` does."""
    part = MIMENonMultipart("text", subtype, charset="utf-8")
    body = b"\n".join(text.encode("utf-8").splitlines()) + b"\n"
    part.set_payload(quoprimime.body_encode(body.decode("latin-1"), QP_LINE))
    part["Content-Transfer-Encoding"] = "quoted-printable"
    return part


def _header(value: str) -> str | Header:
    """Return an ASCII header as is, anything else encoded (RFC 2047)."""
    return value if value.isascii() else Header(value, "utf-8")


def _binary(maintype: str, subtype: str, data: bytes, params: dict[str, str]) -> Message:
    """Return a base64 part of `data` with its content type and parameters."""
    part = MIMENonMultipart(maintype, subtype, **params)
    part.set_payload(data)
    encoders.encode_base64(part)
    return part


def _split_content_type(content_type: str) -> tuple[str, str, dict[str, str]]:
    """Split 'text/calendar; method=REQUEST' into ('text', 'calendar', {'method': 'REQUEST'})."""
    probe = Message()
    probe["Content-Type"] = content_type
    params = dict(probe.get_params()[1:])
    return probe.get_content_maintype(), probe.get_content_subtype(), params
