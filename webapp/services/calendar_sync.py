"""Reading hosts' outside calendars into the `external_busy` cache (the worker's job, never a page's).

A read fetches without holding a transaction, then replaces the source's cached intervals
and records its status in one short write transaction. A failed read keeps the last known
intervals (they still block) and records the error; `failing_since` marks the first failure
of a run, so the dashboard can warn after CALENDAR_STALE_AFTER_MINUTES.

Our own events never block: CalDAV and .ics reads know them by UID (see
`webapp.calendars.busy.is_own_event`, given our invites' domain and the UIDs of the events we
wrote into Google and Microsoft calendars). Google freeBusy and Graph getSchedule name no
events, so from their intervals we cut the times of the host's own bookings and of the events
we wrote for it (which may still sit at a booking's old time until the move is written): a
real event under a booking is hidden only where that booking blocks the time anyway.
"""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_

from webapp.calendars.busy import BusyOptions, CalendarDataError, busy_intervals, merged, without
from webapp.calendars.fetch import CalDavAccount, SourceError, read_caldav, read_feed
from webapp.database import write_transaction
from webapp.extensions import db
from webapp.mail.messages import MailSettings
from webapp.models import BookingHost, CalendarSource, ExternalBusy, ServiceType, WrittenEvent
from webapp.models.calendar_source import ACCOUNT_KINDS
from webapp.scheduling import get_zone
from webapp.services.calendar_accounts import read_account_busy
from webapp.services.integrations import token_cipher

log = logging.getLogger(__name__)

#: how far back a read looks (an event running now still blocks)
LOOK_BACK = timedelta(days=1)
#: the read reaches this far past the furthest booking window, for buffers and zones
LOOK_AHEAD_MARGIN = timedelta(days=2)


@dataclass(frozen=True)
class SourceSnapshot:
    """What a read needs of a source, taken before any network call (no ORM object held)."""

    id: int
    host_id: int
    kind: str
    url: str
    account: CalDavAccount | None
    #: Google calendar ids or Microsoft mailbox addresses (account kinds)
    calendars: tuple[str, ...]
    zone: str
    options: BusyOptions
    #: the times of our own events in the host's calendars (cut from freeBusy/getSchedule answers)
    own_times: tuple[tuple[datetime, datetime], ...] = ()


def refresh_due_sources(now: datetime) -> int:
    """Read every active source whose last read is older than the interval, or that a booking asked for."""
    interval = timedelta(seconds=current_app.config["CALENDAR_REFRESH_SECONDS"])
    ids = list(db.session.scalars(db.select(CalendarSource.id).where(
        CalendarSource.is_active,
        or_(CalendarSource.refresh_requested, CalendarSource.last_attempt_at.is_(None),
            CalendarSource.last_attempt_at <= now - interval)).order_by(CalendarSource.id)))
    db.session.rollback()
    for source_id in ids:
        refresh_source(source_id, now)
    return len(ids)


def refresh_host(host_id: int, now: datetime) -> int:
    """Read every active source of one host now (after a booking); return how many were read."""
    ids = list(db.session.scalars(db.select(CalendarSource.id).where(
        CalendarSource.host_id == host_id, CalendarSource.is_active).order_by(CalendarSource.id)))
    db.session.rollback()
    for source_id in ids:
        refresh_source(source_id, now)
    return len(ids)


def refresh_source(source_id: int, now: datetime) -> bool:
    """Read one source and store what it says; return True if the read worked."""
    start, end = now - LOOK_BACK, now + _horizon()
    snapshot = _snapshot(source_id, start, end)
    if snapshot is None:
        return False
    db.session.rollback()  # hold no transaction while the network answers
    try:
        intervals = _intervals(snapshot, start, end, now)
    except (SourceError, CalendarDataError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        log.warning("Calendar source %s failed: %s", source_id, message)
        _record_failure(source_id, message, now)
        return False
    _store(snapshot, intervals, now)
    return True


def _snapshot(source_id: int, start: datetime, end: datetime) -> SourceSnapshot | None:
    """Return what reading the source needs, with its password decrypted (None if it is gone)."""
    source = db.session.get(CalendarSource, source_id)
    if source is None or not source.is_active:
        return None
    account = None
    if source.kind == "caldav":
        password = token_cipher().decrypt(source.secret_enc) if source.secret_enc else None
        account = CalDavAccount(source.url, source.username, password, tuple(source.calendars or ()))
    calendars = tuple(source.calendars or ())
    if source.kind == "microsoft" and not calendars and source.host.email:
        calendars = (source.host.email,)
    options = BusyOptions(source.all_day_blocks, source.tentative_busy,
                          invite_domain=MailSettings.from_config(current_app.config).invite_domain,
                          own_uids=_written_uids(source.host_id, start, end))
    own_times = tuple(_own_times(source.host_id, start, end)) if source.kind in ACCOUNT_KINDS else ()
    return SourceSnapshot(source.id, source.host_id, source.kind, source.url, account, calendars,
                          source.host.timezone, options, own_times)


def _written_uids(host_id: int, start: datetime, end: datetime) -> frozenset[str]:
    """Return the iCalendar UIDs of the events we wrote into the host's calendars, in [start, end)."""
    return frozenset(db.session.scalars(db.select(WrittenEvent.ical_uid).where(
        WrittenEvent.host_id == host_id, WrittenEvent.ical_uid.is_not(None), WrittenEvent.starts_at < end,
        WrittenEvent.ends_at > start)))


def _own_times(host_id: int, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Return the times of the host's active bookings and of the events we wrote for it, in [start, end)."""
    bookings = db.session.execute(db.select(BookingHost.scheduled_at, BookingHost.ends_at).where(
        BookingHost.host_id == host_id, BookingHost.active, BookingHost.scheduled_at < end,
        BookingHost.ends_at > start))
    written = db.session.execute(db.select(WrittenEvent.starts_at, WrittenEvent.ends_at).where(
        WrittenEvent.host_id == host_id, WrittenEvent.starts_at < end, WrittenEvent.ends_at > start))
    return merged([tuple(row) for row in [*bookings, *written]])


def _horizon() -> timedelta:
    """Return how far ahead to read: the furthest booking window of any active type, plus a margin."""
    days = db.session.scalar(db.select(func.max(ServiceType.max_days_ahead)).where(ServiceType.is_active))
    return timedelta(days=days or 0) + LOOK_AHEAD_MARGIN


def _intervals(snapshot: SourceSnapshot, start: datetime, end: datetime, now: datetime) -> list:
    """Return the source's busy intervals in [start, end) (network; raises SourceError, CalendarDataError)."""
    if snapshot.kind in ACCOUNT_KINDS:
        return without(merged(_account_intervals(snapshot, start, end, now)), list(snapshot.own_times))
    return busy_intervals(_read(snapshot, start, end), start, end, get_zone(snapshot.zone), snapshot.options)


def _account_intervals(snapshot: SourceSnapshot, start: datetime, end: datetime, now: datetime) -> list:
    """Return a connected account's busy intervals, clipped to the read's range."""
    found = read_account_busy(snapshot.kind, list(snapshot.calendars), start, end, now, snapshot.options,
                              current_app.config["CALENDAR_TIMEOUT_SECONDS"])
    return [(s, e) for s, e in found if e > s and s < end and e > start]


def _read(snapshot: SourceSnapshot, start: datetime, end: datetime) -> list:
    """Fetch the source's iCalendar text (network; raises SourceError)."""
    timeout = current_app.config["CALENDAR_TIMEOUT_SECONDS"]
    if snapshot.kind == "caldav":
        return read_caldav(snapshot.account, start, end, timeout=timeout)
    return [read_feed(snapshot.url, timeout=timeout)]


def _store(snapshot: SourceSnapshot, intervals: list[tuple[datetime, datetime]], now: datetime) -> None:
    """Replace the source's cached intervals and record the success, in one transaction."""
    with write_transaction() as session:
        source = session.get(CalendarSource, snapshot.id)
        if source is None or not source.is_active:  # removed or turned off while we read
            return
        session.execute(delete(ExternalBusy).where(ExternalBusy.source_id == snapshot.id))
        session.add_all(ExternalBusy(source_id=snapshot.id, host_id=snapshot.host_id, starts_at=start,
                                     ends_at=end) for start, end in intervals)
        source.last_attempt_at = source.last_success_at = now
        source.last_error, source.failing_since, source.refresh_requested = None, None, False


def _record_failure(source_id: int, message: str, now: datetime) -> None:
    """Record a failed read; the cached intervals stay and keep blocking."""
    with write_transaction() as session:
        source = session.get(CalendarSource, source_id)
        if source is None:
            return
        source.last_attempt_at, source.last_error, source.refresh_requested = now, message[:500], False
        source.failing_since = source.failing_since or now
