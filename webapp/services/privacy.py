"""Clients' personal data: erased after the retention period or on request, exported on request.

Erasing a booking blanks everything that names or describes its client (name, email, phone,
company, subject, description, notes, internal notes, cancellation reason, meeting link,
follow-ups' text) and the outbox's stored copies of its messages (payload, recipient, last
error); it keeps what the business's accounting needs: date, duration, service, status.
The events written for it into the hosts' outside calendars are reworded through the outbox
(`calendar_event_anonymise`): the service's name alone, at the same time; a cancelled
booking's leftover event is removed.
The booking's manage-token hash is replaced, so its links stop opening. The app stores no
client IP address (rate limits count in Redis or memory and forget).

A booking still ahead is first cancelled through `services.bookings.cancel_booking`, so its
client gets the usual cancellation email; it is erased by the periodic sweep once the
messages that cancellation queued are done (at most ERASURE_WAIT later).
"""
import secrets
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import and_, exists, or_

from webapp.audit import acting_as
from webapp.database import write_transaction
from webapp.extensions import db
from webapp.models import AuditEntry, Booking, OutboxMessage
from webapp.models.booking import ACTIVE_STATUSES
from webapp.outbox.kinds import Kind, Status
from webapp.outbox.write import booking_erased
from webapp.services.bookings import cancel_booking
from webapp.services.consent import CONSENT_TEXT, CONSENT_VERSION
from webapp.services.settings import get_settings
from webapp.services.tokens import token_hash
from webapp.services.validation import address_key

ERASED = "erased"
#: `.invalid` never resolves (RFC 2606), so no mail can reach an erased booking's address
ERASED_DOMAIN = "erased.invalid"
ERASURE_REASON = "Cancelled at your request: we are erasing your personal data."
#: the longest an erasure waits for the cancellation email (retries included) before going ahead
ERASURE_WAIT = timedelta(days=7)
#: bookings erased by one sweep at most (the next sweep takes the rest)
ERASE_BATCH = 200
UNSETTLED = (Status.PENDING, Status.SENDING)
#: columns never exported: a credential's hash is nobody's personal data
NOT_EXPORTED = frozenset({"manage_token_hash"})


def erased_address(booking_id: int) -> str:
    """Return the non-routable placeholder that replaces an erased booking's email."""
    return f"erased-{booking_id}@{ERASED_DOMAIN}"


# ---- erasing one booking ---------------------------------------------------------------

def erase_booking(booking: Booking, now: datetime) -> None:
    """Blank the booking's personal data and outbox copies, queue rewording its calendar events (caller commits)."""
    booking.client_name = booking.title = ERASED
    booking.client_email = erased_address(booking.id)
    for name in ("client_phone", "client_company", "description", "client_notes", "internal_notes",
                 "cancellation_reason", "meeting_url", "meeting_id", "meeting_error"):
        setattr(booking, name, None)
    booking.manage_token_hash = token_hash(secrets.token_urlsafe(32))  # no link opens it again
    booking.erased_at = now
    for follow_up in booking.follow_ups:
        follow_up.subject = follow_up.message = ERASED
    earlier = list(db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.booking_id == booking.id)))
    booking_erased(booking, now)
    scrub_outbox(earlier)


def scrub_outbox(rows) -> int:
    """Blank the stored copies of messages; unsent ones are skipped. Return how many rows."""
    count = 0
    for row in rows:
        if row.status in UNSETTLED:
            row.status, row.claimed_until = Status.SKIPPED, None
        row.payload = {}
        row.last_error = ERASED if row.last_error else None
        if row.kind != Kind.WEBHOOK:  # a webhook's recipient is the business's own receiver
            row.recipient = None
        count += 1
    return count


# ---- the periodic job -----------------------------------------------------------------

def apply_retention(now: datetime) -> dict:
    """The sweep's privacy step: erase what is due, forget old audit entries."""
    return {"erased": erase_expired(now), "audit_pruned": prune_audit_log(now)}


def erase_expired(now: datetime) -> int:
    """Erase bookings that ended more than `retention_days` ago, and those whose erasure was asked
    once the messages queued before it are done; blank old booking-less messages. Return the count."""
    cutoff = now - timedelta(days=get_settings().retention_days)
    waiting = exists().where(OutboxMessage.booking_id == Booking.id, OutboxMessage.status.in_(UNSETTLED))
    asked = and_(Booking.erasure_requested_at.is_not(None),
                 or_(Booking.erasure_requested_at <= now - ERASURE_WAIT, ~waiting))
    with write_transaction() as session:
        bookings = session.scalars(db.select(Booking).where(
            Booking.erased_at.is_(None), or_(Booking.ends_at < cutoff, asked))
            .order_by(Booking.id).limit(ERASE_BATCH)).all()
        for booking in bookings:
            erase_booking(booking, now)
        scrub_outbox(session.scalars(db.select(OutboxMessage).where(
            OutboxMessage.booking_id.is_(None), OutboxMessage.kind == Kind.MANAGE_LINKS,
            OutboxMessage.recipient.is_not(None), OutboxMessage.due_at < cutoff,
            OutboxMessage.status.not_in(UNSETTLED))))
    return len(bookings)


def prune_audit_log(now: datetime) -> int:
    """Delete audit entries older than AUDIT_RETENTION_DAYS; return how many."""
    before = now - timedelta(days=current_app.config["AUDIT_RETENTION_DAYS"])
    with write_transaction() as session:
        result = session.execute(db.delete(AuditEntry).where(AuditEntry.at < before))
    return result.rowcount or 0


# ---- finding an address's data ----------------------------------------------------------

def _ids_addressed_to(key: str, id_column, address_column, *conditions) -> list[int]:
    """Return the ids of rows whose address is the mailbox `key` (`address_key`), in any spelling.

    Spellings differ in ways SQL cannot compare (case, Unicode forms, IDNA), so the ids and
    addresses are read (two columns) and compared here.
    """
    rows = db.session.execute(db.select(id_column, address_column).where(
        address_column.is_not(None), *conditions))
    return [row_id for row_id, address in rows if address_key(address) == key]


def bookings_of(email: str) -> list[Booking]:
    """Return every booking (not yet erased) whose client address is `email`, in any spelling."""
    ids = _ids_addressed_to(address_key(email), Booking.id, Booking.client_email, Booking.erased_at.is_(None))
    return list(db.session.scalars(db.select(Booking).where(Booking.id.in_(ids)).order_by(Booking.id)))


def _messages_of(email: str, booking_ids: list[int]) -> list[OutboxMessage]:
    """Return the outbox rows of those bookings and those addressed to `email`."""
    addressed = _ids_addressed_to(address_key(email), OutboxMessage.id, OutboxMessage.recipient)
    return list(db.session.scalars(db.select(OutboxMessage).where(or_(
        OutboxMessage.booking_id.in_(booking_ids), OutboxMessage.id.in_(addressed)))
        .order_by(OutboxMessage.id)))


def _is_ahead(booking: Booking, now: datetime) -> bool:
    """Tell whether the booking still holds a time that has not ended (it is cancelled first)."""
    return booking.status in ACTIVE_STATUSES and booking.ends_at > now


# ---- export -------------------------------------------------------------------------------

def _plain(value):
    """Return a column value as JSON can hold it."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _row(row, skip: frozenset = frozenset()) -> dict:
    """Return a row's columns by name, as JSON values."""
    return {column.key: _plain(getattr(row, column.key)) for column in row.__table__.columns
            if column.key not in skip}


def _consent(booking: Booking) -> dict:
    """Return the consent record of one booking, with the text the client saw when known."""
    return {"booking_uid": booking.uid, "marketing_consent": booking.marketing_consent,
            "given_at": _plain(booking.marketing_consent_at),
            "text_version": booking.marketing_consent_version,
            "text": CONSENT_TEXT if booking.marketing_consent_version == CONSENT_VERSION else None}


def export_for_email(email: str, now: datetime) -> dict:
    """Return everything held about one address: bookings, follow-ups, messages, consent, audit."""
    bookings = bookings_of(email)
    ids = [booking.id for booking in bookings]
    audit = db.session.scalars(db.select(AuditEntry).where(AuditEntry.booking_id.in_(ids))
                               .order_by(AuditEntry.id)) if ids else []
    return {
        "email": email, "exported_at": now.isoformat(),
        "bookings": [{**_row(booking, NOT_EXPORTED),
                      "follow_ups": [_row(item) for item in booking.follow_ups]} for booking in bookings],
        "consent_records": [_consent(booking) for booking in bookings],
        "outbox_messages": [_row(row) for row in _messages_of(email, ids)],
        "audit_entries": [_row(entry) for entry in audit],
    }


# ---- erasure on request ------------------------------------------------------------------

@dataclass(frozen=True)
class ErasurePlan:
    """What erasing an address does: bookings cancelled first, bookings erased now, messages."""

    to_cancel: int
    to_erase: int
    messages: int

    @property
    def anything(self) -> bool:
        """Tell whether the address has any data to erase."""
        return bool(self.to_cancel or self.to_erase or self.messages)


def erasure_plan(email: str, now: datetime) -> ErasurePlan:
    """Return what `erase_for_email` would do now (the admin's confirmation step shows it)."""
    bookings = bookings_of(email)
    ahead = sum(_is_ahead(booking, now) for booking in bookings)
    messages = _messages_of(email, [booking.id for booking in bookings])
    return ErasurePlan(to_cancel=ahead, to_erase=len(bookings) - ahead, messages=len(messages))


def erase_for_email(email: str, now: datetime, actor: str | None = None) -> ErasurePlan:
    """Erase everything held about an address; bookings still ahead are cancelled (with the usual
    email) first and erased by the sweep once it went out. Return what was done."""
    with acting_as(actor) if actor else nullcontext():
        plan = erasure_plan(email, now)
        ahead = [booking.id for booking in bookings_of(email) if _is_ahead(booking, now)]
        for booking_id in ahead:
            cancel_booking(booking_id, ERASURE_REASON, now)
        with write_transaction():
            for booking in bookings_of(email):
                if booking.id in ahead:
                    _ask_erasure(booking, now)
                else:
                    erase_booking(booking, now)
            scrub_outbox(row for row in _messages_of(email, []) if row.booking_id is None)
    return plan


def _ask_erasure(booking: Booking, now: datetime) -> None:
    """Mark a just-cancelled booking for erasure; its later follow-ups will not be sent."""
    booking.erasure_requested_at = now
    for row in db.session.scalars(db.select(OutboxMessage).where(
            OutboxMessage.booking_id == booking.id, OutboxMessage.kind == Kind.FOLLOW_UP,
            OutboxMessage.status == Status.PENDING)):
        row.status = Status.SKIPPED
