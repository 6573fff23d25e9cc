"""Bookings written into their hosts' CalDAV calendars: which sources write, and the PUT and DELETE.

The outbox calls these (kinds `calendar_event_put`, `calendar_event_delete`), one row per
booking version and writing source, so each change is written once; a PUT replaces the
event of the same UID, a DELETE of a missing event is done already.
"""
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from webapp.calendars.fetch import CalDavAccount
from webapp.calendars.write import booking_event, delete_event, own_uid, put_event
from webapp.extensions import db
from webapp.mail.references import booking_reference
from webapp.models import Booking, CalendarSource, ServiceType
from webapp.services.integrations import token_cipher


@dataclass(frozen=True)
class Target:
    """Where a booking's event goes: the account and the calendar's name."""

    account: CalDavAccount
    calendar: str


def sources_of(host_ids: list[int]) -> tuple[list[int], list[int]]:
    """Return the hosts' active sources that bookings are written into (CalDAV with a calendar
    to write), by id, and the hosts that have any active source to read (one query)."""
    if not host_ids:
        return [], []
    rows = db.session.execute(db.select(CalendarSource.id, CalendarSource.host_id, CalendarSource.kind,
                                        CalendarSource.write_calendar)
                              .where(CalendarSource.host_id.in_(host_ids), CalendarSource.is_active)
                              .order_by(CalendarSource.id)).all()
    writing = [source_id for source_id, _, kind, calendar in rows if kind == "caldav" and calendar is not None]
    return writing, sorted({host_id for _, host_id, _, _ in rows})


def target(source_id: int) -> Target | None:
    """Return where the source writes (password decrypted), or None if it no longer does."""
    source = db.session.get(CalendarSource, source_id)
    if source is None or not source.is_active or not source.write_calendar:
        return None
    password = token_cipher().decrypt(source.secret_enc) if source.secret_enc else None
    return Target(CalDavAccount(source.url, source.username, password), source.write_calendar)


def event_of(booking: Booking, now: datetime) -> bytes:
    """Return the booking's event as its host sees it in their calendar."""
    service = db.session.scalar(db.select(ServiceType).where(ServiceType.key == booking.service_type))
    name = service.name if service else booking.service_type
    admin_url = f"{current_app.config['BASE_URL']}/admin/bookings/{booking.id}"
    return booking_event(booking_reference(booking.uid), summary=f"{name}: {booking.client_name}",
                         start=booking.scheduled_at, end=booking.ends_at, sequence=booking.version,
                         description=f"Booked on StudiocentOS Booking: {admin_url}", now=now)


def timeout() -> int:
    """Return how long one calendar server call may take."""
    return current_app.config["CALENDAR_TIMEOUT_SECONDS"]


def put(where: Target, ical: bytes, seconds: int) -> None:
    """Write the event (network; raises SourceError)."""
    put_event(where.account, where.calendar, ical, timeout=seconds)


def delete(where: Target, reference: str, seconds: int) -> bool:
    """Delete the booking's event (network; raises SourceError)."""
    return delete_event(where.account, where.calendar, own_uid(reference), timeout=seconds)
