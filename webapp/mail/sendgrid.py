"""Send through the SendGrid Web API v3 (POST /v3/mail/send)."""
import base64
import logging
from dataclasses import dataclass

import requests

from webapp.mail.outgoing import MailError, OutgoingEmail, message_id_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendGridTransport:
    """One API call per message; 202 means SendGrid accepted it."""

    api_key: str
    base_url: str = "https://api.sendgrid.com"
    timeout: float = 10.0

    def send(self, email: OutgoingEmail) -> str:
        """Post the message and return the Message-ID we gave it."""
        message_id = message_id_of(email)
        try:
            response = requests.post(
                f"{self.base_url.rstrip('/')}/v3/mail/send",
                json=sendgrid_payload(email, message_id),
                headers={"Authorization": f"Bearer {self.api_key}"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:  # refused, timed out, TLS, DNS
            raise MailError(f"SendGrid unreachable: {exc}", retryable=True) from exc
        if not response.ok:
            retryable = response.status_code == 429 or response.status_code >= 500
            raise MailError(f"SendGrid {response.status_code}: {response.text[:500]}",
                            retryable=retryable)
        log.info("SendGrid accepted %s as %s", message_id, response.headers.get("X-Message-Id"))
        return message_id


def sendgrid_payload(email: OutgoingEmail, message_id: str) -> dict:
    """Return the documented v3 mail/send JSON body for `email`."""
    payload = {
        "personalizations": [{"to": [{"email": address} for address in email.to]}],
        "from": {"email": email.from_email, "name": email.from_name},
        "subject": email.subject,
        # SendGrid requires text/plain first, then text/html.
        "content": [{"type": "text/plain", "value": email.text},
                    {"type": "text/html", "value": email.html}],
        "headers": {"Message-ID": message_id},
    }
    if email.reply_to:
        payload["reply_to"] = {"email": email.reply_to}
    if email.attachments:
        payload["attachments"] = [{
            "content": base64.b64encode(attachment.data).decode("ascii"),
            "filename": attachment.filename,
            "type": attachment.content_type,
            "disposition": "attachment",
        } for attachment in email.attachments]
    return payload
