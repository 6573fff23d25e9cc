"""What an outbox row does (its kind) and where it is in its life (its status)."""
from enum import StrEnum


class Kind(StrEnum):
    """Every side effect the outbox performs; each has one action in `actions.ACTIONS`."""

    CONFIRMATION = "confirmation"
    PENDING_APPROVAL = "pending_approval"
    REMINDER = "reminder"
    UPDATE = "update"
    CANCELLATION = "cancellation"
    ADMIN_NEW_BOOKING = "admin_new_booking"
    ADMIN_CANCELLATION = "admin_cancellation"
    FOLLOW_UP = "follow_up"
    MANAGE_LINKS = "manage_links"
    MEETING_CREATE = "meeting_create"
    MEETING_UPDATE = "meeting_update"
    MEETING_DELETE = "meeting_delete"
    #: one POST of one event to one webhook endpoint
    WEBHOOK = "webhook"


class Status(StrEnum):
    """A row's state: pending -> sending (claimed, leased) -> sent | failed | skipped."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


#: emails that describe one version of a booking and lapse when it changes
VERSIONED_KINDS = (Kind.CONFIRMATION, Kind.PENDING_APPROVAL, Kind.REMINDER, Kind.UPDATE)
