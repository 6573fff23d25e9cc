"""The transport-neutral shape of one email, and the error every transport raises."""
from dataclasses import dataclass, field
from email.utils import make_msgid


@dataclass(frozen=True)
class Attachment:
    """A file attached to an email; `inline_method` also shows an .ics as an invite."""

    filename: str
    content_type: str
    data: bytes
    #: iTIP method (REQUEST/CANCEL) when the file is a calendar invite to show inline
    inline_method: str | None = None


@dataclass(frozen=True)
class OutgoingEmail:
    """A rendered email ready for any transport."""

    to: list[str]
    subject: str
    text: str
    html: str
    from_email: str
    from_name: str
    reply_to: str | None = None
    attachments: list[Attachment] = field(default_factory=list)


class MailError(Exception):
    """Sending failed; `retryable` says whether trying again later can succeed."""

    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.retryable = retryable


def new_message_id(from_email: str) -> str:
    """Return a fresh RFC 5322 Message-ID in the sender's domain."""
    return make_msgid(domain=from_email.rpartition("@")[2] or "localhost")
