"""Turn an OutgoingEmail into an RFC 5322 MIME message (SMTP and .eml files share it)."""
from datetime import datetime, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from webapp.mail.outgoing import MailError, OutgoingEmail


def build_mime(email: OutgoingEmail, message_id: str, now: datetime | None = None) -> EmailMessage:
    """Return multipart/mixed: alternative(text, html[, calendar invite]) + attachments."""
    try:
        msg = EmailMessage()
        msg["Subject"] = email.subject
        msg["From"] = Address(email.from_name, addr_spec=email.from_email)
        msg["To"] = ", ".join(email.to)
        if email.reply_to:
            msg["Reply-To"] = email.reply_to
        msg["Date"] = format_datetime(now or datetime.now(timezone.utc))
        msg["Message-ID"] = message_id
        # quoted-printable: safe through any relay, whatever the line lengths or charset.
        msg.set_content(email.text, cte="quoted-printable")
        msg.add_alternative(email.html, subtype="html", cte="quoted-printable")
        for attachment in email.attachments:
            if attachment.inline_method:
                # Outlook shows the invite only from a text/calendar alternative with method=.
                # Bytes and base64, so the CRLF line ends RFC 5545 requires survive.
                msg.add_alternative(attachment.data, maintype="text", subtype="calendar",
                                    params={"method": attachment.inline_method,
                                            "charset": "utf-8"})
        for attachment in email.attachments:
            maintype, subtype, params = _split_content_type(attachment.content_type)
            msg.add_attachment(attachment.data, maintype=maintype, subtype=subtype,
                               filename=attachment.filename, params=params)
    except (ValueError, TypeError) as exc:  # a header with a line break, a bad address ...
        raise MailError(f"cannot build the message: {exc}", retryable=False) from exc
    return msg


def _split_content_type(content_type: str) -> tuple[str, str, dict[str, str]]:
    """Split 'text/calendar; method=REQUEST' into ('text', 'calendar', {'method': 'REQUEST'})."""
    probe = EmailMessage()
    probe["Content-Type"] = content_type
    params = {k: v for k, v in probe["Content-Type"].params.items()}
    return probe.get_content_maintype(), probe.get_content_subtype(), params
