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
    #: the meeting link, when it was made after the confirmation went out without it
    MEETING_LINK = "meeting_link"
    MEETING_CREATE = "meeting_create"
    MEETING_UPDATE = "meeting_update"
    MEETING_DELETE = "meeting_delete"
    #: one POST of one event to one webhook endpoint
    WEBHOOK = "webhook"
    #: read the outside calendars of a booking's hosts again, right after it was made or moved
    CALENDAR_REFRESH = "calendar_refresh"
    #: write (create or replace) a booking's event into a host's calendar (CalDAV, Google, Microsoft)
    CALENDAR_EVENT_PUT = "calendar_event_put"
    #: remove a cancelled booking's event from a host's calendar
    CALENDAR_EVENT_DELETE = "calendar_event_delete"
    #: reword an erased booking's event so it names no client (a cancelled one's is removed)
    CALENDAR_EVENT_ANONYMISE = "calendar_event_anonymise"
    #: remove a booking's event from a calendar its host's source no longer writes into
    CALENDAR_EVENT_WITHDRAW = "calendar_event_withdraw"


class Status(StrEnum):
    """A row's state: pending -> sending (claimed, leased) -> sent | failed | skipped."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


#: emails that describe one version of a booking and lapse when it changes
VERSIONED_KINDS = (Kind.CONFIRMATION, Kind.PENDING_APPROVAL, Kind.REMINDER, Kind.UPDATE,
                   Kind.MEETING_LINK)

#: steps that call a meeting provider (worker.py runs them on threads of their own)
MEETING_KINDS = (Kind.MEETING_CREATE, Kind.MEETING_UPDATE, Kind.MEETING_DELETE)
#: steps that read outside calendars (no email; on worker.py's meeting threads too)
CALENDAR_KINDS = (Kind.CALENDAR_REFRESH, Kind.CALENDAR_EVENT_PUT, Kind.CALENDAR_EVENT_DELETE,
                  Kind.CALENDAR_EVENT_ANONYMISE, Kind.CALENDAR_EVENT_WITHDRAW)
#: steps that wait on a slow outside server, so worker.py runs them beside the emails
ASIDE_KINDS = MEETING_KINDS + CALENDAR_KINDS
#: every kind that sends an email (a lapsed claim of one may have sent it already)
EMAIL_KINDS = tuple(kind for kind in Kind if kind not in ASIDE_KINDS)
#: kinds whose action is one email: a job sends the due ones one after another (`perform`)
MAIL_KINDS = tuple(kind for kind in EMAIL_KINDS if kind != Kind.WEBHOOK)
