"""A local SendGrid Web API v3 that checks each mail/send request against the documented shape."""
import base64
import binascii
import re

from tests.stubs.server import Reply, StubServer, Violation

API_KEY = "SG.test-key"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: headers SendGrid refuses in the `headers` object (they come from other fields)
_RESERVED_HEADERS = {"x-sg-id", "x-sg-eid", "received", "dkim-signature", "content-type",
                     "content-transfer-encoding", "to", "from", "subject", "reply-to", "cc", "bcc"}


class SendGridStub(StubServer):
    """POST /v3/mail/send answering 202 with X-Message-Id, as SendGrid does."""

    routes = (("POST", r"/v3/mail/send", "mail_send"),)

    def __init__(self):
        super().__init__()
        self.tokens = {API_KEY}  # the base class answers 401 to any other Bearer token

    def error_body(self, status: int, message: str):
        """SendGrid's error shape."""
        return {"errors": [{"message": message, "field": None, "help": None}]}

    def mail_send(self, req) -> Reply:
        """Check the request and accept it."""
        body = req.json()
        _check_personalizations(body.get("personalizations"))
        _check_address(body.get("from"), "from")
        if body.get("reply_to") is not None:
            _check_address(body["reply_to"], "reply_to")
        if not isinstance(body.get("subject"), str) or not body["subject"]:
            raise Violation("subject is required")
        _check_content(body.get("content"))
        for attachment in body.get("attachments", []):
            _check_attachment(attachment)
        headers = body.get("headers", {})
        if not all(isinstance(v, str) for v in headers.values()):
            raise Violation("header values must be strings")
        if _RESERVED_HEADERS & {name.lower() for name in headers}:
            raise Violation(f"reserved headers set: {sorted(headers)}")
        return Reply(202, None, {"X-Message-Id": f"sg-{len(self.requests)}"})


def _check_address(value, where: str) -> None:
    """An email object: {email, name?}."""
    if not isinstance(value, dict) or not _EMAIL.match(str(value.get("email", ""))):
        raise Violation(f"{where} must be an object with a valid email, got {value!r}")
    if set(value) - {"email", "name"}:
        raise Violation(f"{where} has unknown fields {sorted(set(value) - {'email', 'name'})}")


def _check_personalizations(value) -> None:
    """1..1000 personalizations, each with at least one `to`."""
    if not isinstance(value, list) or not 1 <= len(value) <= 1000:
        raise Violation("personalizations must be a list of 1 to 1000 objects")
    for personalization in value:
        recipients = personalization.get("to")
        if not isinstance(recipients, list) or not recipients:
            raise Violation("each personalization needs a non-empty 'to' list")
        for recipient in recipients:
            _check_address(recipient, "personalizations[].to[]")


def _check_content(value) -> None:
    """At least one part; text/plain first, then text/html."""
    if not isinstance(value, list) or not value:
        raise Violation("content must be a non-empty list")
    types = [part.get("type") for part in value]
    if not all(isinstance(part.get("value"), str) and part["value"] for part in value):
        raise Violation("every content part needs a non-empty string value")
    if "text/html" in types and "text/plain" in types and types.index("text/plain") > 0:
        raise Violation(f"text/plain must come first, got {types}")


def _check_attachment(value) -> None:
    """Base64 content and a filename; disposition attachment or inline (with content_id)."""
    if not isinstance(value.get("filename"), str) or not value["filename"]:
        raise Violation("attachment filename is required")
    try:
        base64.b64decode(value.get("content", ""), validate=True)
    except (binascii.Error, TypeError) as exc:
        raise Violation(f"attachment content must be base64: {exc}") from exc
    if value.get("disposition", "attachment") not in {"attachment", "inline"}:
        raise Violation(f"bad disposition {value.get('disposition')!r}")
    if value.get("disposition") == "inline" and not value.get("content_id"):
        raise Violation("inline attachments need a content_id")
