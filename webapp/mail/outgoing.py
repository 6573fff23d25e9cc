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
    #: a Message-ID that stays the same across retries (the outbox gives one); None: a fresh one
    message_id: str | None = None


class MailError(Exception):
    """Sending failed; `retryable` says whether trying again later can succeed.

    `outage` marks a failure of the transport itself (server unreachable, connection
    refused or dropped): no message can go out now, so the outbox waits for the server
    instead of counting the failure against this message.
    """

    def __init__(self, message: str, *, retryable: bool, outage: bool = False):
        super().__init__(message)
        self.retryable = retryable
        self.outage = outage


def _domain(from_email: str) -> str:
    """Return the sending domain of an address (localhost when it has none)."""
    return from_email.rpartition("@")[2] or "localhost"


def new_message_id(from_email: str) -> str:
    """Return a fresh RFC 5322 Message-ID in the sender's domain."""
    return make_msgid(domain=_domain(from_email))


def stable_message_id(local_part: str, from_email: str) -> str:
    """Return the Message-ID `<local_part@domain>`: every retry of one message shares it."""
    return f"<{local_part}@{_domain(from_email)}>"


def message_id_of(email: OutgoingEmail) -> str:
    """Return the email's own Message-ID, or a fresh one when it brings none."""
    return email.message_id or new_message_id(email.from_email)
