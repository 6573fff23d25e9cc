"""Bookings written into their hosts' calendars (CalDAV, Google, Microsoft 365): which sources write, the writes.

The outbox calls these (kinds `calendar_event_put`, `calendar_event_delete`), one row per
booking version and writing source, so each change is written once. When a booking's
personal data is erased, `calendar_event_anonymise` rewords each event written for it: the
summary becomes the service's name alone (see `event_of`), time and everything else stay. Every write is safe to
repeat (a CalDAV PUT replaces the event of the same UID; Google and Graph writes are keyed,
see `webapp.calendars.account_write`), and a DELETE of a missing event is done already.
The remote event's id is kept in `written_events`, recorded in the row's finishing
transaction, so a move or a cancel reaches the right event.
"""
import hashlib
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import delete

from webapp.calendars import account_write
from webapp.calendars.fetch import CalDavAccount
from webapp.calendars.write import OwnEvent, booking_event, delete_event, own_uid, put_event, reword_event
from webapp.extensions import db
from webapp.mail.references import booking_reference
from webapp.models import Booking, BookingHost, CalendarSource, ServiceType, WrittenEvent
from webapp.models.calendar_source import WRITING_KINDS
from webapp.services import config_cache
from webapp.services.calendar_accounts import account_client
from webapp.services.integrations import token_cipher


@dataclass(frozen=True)
class Target:
    """Where a booking's event goes: the source, its kind, the calendar, and the event's stored id."""

    source_id: int
    kind: str
    calendar: str
    #: the CalDAV account (None for Google and Microsoft: their connected account is used)
    account: CalDavAccount | None
    #: the event's id in that calendar, when a write of it was recorded
    event_id: str | None
    #: the fingerprint of the account it was reached through (`account_key`)
    account_key: str = ""


def sources_of(host_ids: list[int]) -> tuple[list[int], list[int]]:
    """Return the hosts' active sources that bookings are written into (a writing kind with a
    calendar to write), by id, and the hosts that have any active source to read (no query:
    the configuration cache)."""
    by_host = config_cache.current().calendar_sources
    rows = sorted(row for host_id in set(host_ids) for row in by_host.get(host_id, ()))
    writing = [source_id for source_id, kind, calendar in rows if kind in WRITING_KINDS and calendar is not None]
    return writing, sorted(host_id for host_id in set(host_ids) if host_id in by_host)


def written_sources(booking_id: int) -> list[int]:
    """Return the ids of the sources whose calendars hold an event written for the booking."""
    return list(db.session.scalars(db.select(WrittenEvent.source_id).where(WrittenEvent.booking_id == booking_id)
                                   .order_by(WrittenEvent.source_id)))


def target(source_id: int, booking_id: int, *, paused_too: bool = False) -> Target | None:
    """Return where the source writes the booking (password decrypted), or None if it no longer does.

    `paused_too`: a source the admin made inactive still counts (an erasure reaches its events).
    """
    source = db.session.get(CalendarSource, source_id)
    if source is None or not (source.is_active or paused_too) or not source.write_calendar:
        return None
    written = _written(source_id, booking_id)
    return _target(source, source.write_calendar, written.event_id if written else None)


def former_target(source_id: int, account: str, calendar: str, event_id: str) -> Target | None:
    """Return a calendar the source wrote into before the admin chose another, or None if the source
    is gone or now names another account (`account_key`), whose password would not open the old one."""
    source = db.session.get(CalendarSource, source_id)
    if source is None or account_key(source) != account:
        return None
    return _target(source, calendar, event_id)


def account_key(source: CalendarSource) -> str:
    """Return a short fingerprint of the account a source reaches (kind, server, user)."""
    return hashlib.sha256(f"{source.kind}\n{source.url}\n{source.username or ''}".encode()).hexdigest()[:16]


def moved_since(where: Target) -> bool:
    """Tell whether the source no longer writes into the target's calendar (the admin chose another)."""
    source = db.session.get(CalendarSource, where.source_id)
    return source is None or (account_key(source), source.write_calendar) != (where.account_key, where.calendar)


def written_by(source_id: int) -> list[WrittenEvent]:
    """Return the events recorded as written by the source."""
    return list(db.session.scalars(db.select(WrittenEvent).where(WrittenEvent.source_id == source_id)
                                   .order_by(WrittenEvent.booking_id)))


def upcoming_bookings(host_id: int, now: datetime) -> list[Booking]:
    """Return the host's bookings that hold a time not yet ended (pending or confirmed)."""
    return list(db.session.scalars(db.select(Booking).join(BookingHost).where(
        BookingHost.host_id == host_id, BookingHost.active, BookingHost.ends_at > now).order_by(Booking.id)))


def _target(source: CalendarSource, calendar: str, event_id: str | None) -> Target:
    """Return the source's calendar `calendar` as a Target (the CalDAV password decrypted)."""
    account = None
    if source.kind == "caldav":
        password = token_cipher().decrypt(source.secret_enc) if source.secret_enc else None
        account = CalDavAccount(source.url, source.username, password)
    return Target(source.id, source.kind, calendar, account, event_id, account_key(source))


def event_of(booking: Booking) -> OwnEvent:
    """Return the booking's event as its host sees it in their calendar.

    It names the client only (and nothing else of theirs); once the booking's personal data
    is erased, the service's name alone.
    """
    service = db.session.scalar(db.select(ServiceType).where(ServiceType.key == booking.service_type))
    name = service.name if service else booking.service_type
    admin_url = f"{current_app.config['BASE_URL']}/admin/bookings/{booking.id}"
    summary = name if booking.erased_at else f"{name}: {booking.client_name}"
    return OwnEvent(booking_reference(booking.uid), summary=summary,
                    description=f"Booked on StudiocentOS Booking: {admin_url}", start=booking.scheduled_at,
                    end=booking.ends_at, sequence=booking.version)


def put(where: Target, own: OwnEvent, now: datetime) -> account_write.Written:
    """Write the event (network; raises SourceError); return where it now is."""
    seconds = current_app.config["CALENDAR_TIMEOUT_SECONDS"]
    if where.kind == "caldav":
        put_event(where.account, where.calendar, booking_event(own, now), timeout=seconds)
        return account_write.Written(own_uid(own.reference), own_uid(own.reference))
    call = account_client(where.kind, now, seconds)
    write = account_write.google_put if where.kind == "google" else account_write.graph_put
    return write(call, where.calendar, own, where.event_id)


def reword(where: Target, own: OwnEvent, now: datetime) -> bool:
    """Reword the stored event (summary, description only; network, raises SourceError); False if it is gone."""
    seconds = current_app.config["CALENDAR_TIMEOUT_SECONDS"]
    if where.kind == "caldav":
        return reword_event(where.account, where.calendar, where.event_id, own.summary, own.description,
                            timeout=seconds)
    if where.kind == "google":
        return account_write.google_reword(account_client("google", now, seconds), where.calendar, own,
                                           where.event_id)
    return account_write.graph_reword(account_client("microsoft", now, seconds), own, where.event_id)


def remove(where: Target, reference: str, now: datetime) -> None:
    """Delete the booking's event (network; raises SourceError); one already gone is done."""
    seconds = current_app.config["CALENDAR_TIMEOUT_SECONDS"]
    if where.kind == "caldav":
        delete_event(where.account, where.calendar, own_uid(reference), timeout=seconds)
    elif where.kind == "google":
        account_write.google_delete(account_client("google", now, seconds), where.calendar, reference,
                                    where.event_id)
    else:
        account_write.graph_delete(account_client("microsoft", now, seconds), where.event_id)


def record_written(source_id: int, booking: Booking | None, own: OwnEvent, written: account_write.Written) -> None:
    """Keep the event's id and time (in the outbox row's finishing transaction)."""
    source = db.session.get(CalendarSource, source_id)
    if booking is None or source is None:
        return
    row = _written(source_id, booking.id) or WrittenEvent(source_id=source_id, booking_id=booking.id)
    row.host_id = source.host_id
    row.event_id, row.ical_uid, row.starts_at, row.ends_at = written.event_id, written.ical_uid, own.start, own.end
    db.session.add(row)


def forget_written(source_id: int, booking_id: int) -> None:
    """Forget a removed event (in the outbox row's finishing transaction)."""
    db.session.execute(delete(WrittenEvent).where(WrittenEvent.source_id == source_id,
                                                  WrittenEvent.booking_id == booking_id))


def _written(source_id: int, booking_id: int) -> WrittenEvent | None:
    """Return the recorded event of the booking in the source's calendar."""
    return db.session.scalar(db.select(WrittenEvent).where(WrittenEvent.source_id == source_id,
                                                           WrittenEvent.booking_id == booking_id))
