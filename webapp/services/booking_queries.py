"""Admin views of bookings: filtered pages, CSV export, the dashboard and calendar ranges."""
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_

from webapp.extensions import db
from webapp.models import BlockedDate, Booking, BookingHost, Host
from webapp.models.booking import BOOKING_STATUSES
from webapp.outbox import failed_count
from webapp.scheduling import get_zone
from webapp.scheduling.calendar import day_range_utc

PER_PAGE = 25
CSV_COLUMNS = ("uid", "status", "service_type", "title", "scheduled_at", "ends_at",
               "duration_minutes", "timezone", "client_name", "client_email", "client_phone",
               "client_company", "meeting_provider", "meeting_url", "description",
               "client_notes", "internal_notes", "cancellation_reason", "created_at")
#: cells starting with these run as formulas in spreadsheets
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class BookingFilter:
    """Which bookings the admin asked to see; dates are business-zone days."""

    status: str | None = None
    service_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None
    #: only the bookings this host holds (a host login's own, or the admin's host filter)
    host: Host | None = None

    def query(self) -> dict:
        """Return the filter as URL parameters (empty ones left out)."""
        values = {"status": self.status, "service_type": self.service_type,
                  "date_from": self.date_from and self.date_from.isoformat(),
                  "date_to": self.date_to and self.date_to.isoformat(), "q": self.q,
                  "host": self.host and self.host.slug}
        return {key: value for key, value in values.items() if value}


def held_by(host: Host):
    """Return the condition "the booking holds `host`" (a row stored without hosts: the default host's)."""
    condition = Booking.id.in_(db.select(BookingHost.booking_id).where(BookingHost.host_id == host.id))
    if host.is_default:
        unlinked = ~db.select(BookingHost.booking_id).where(BookingHost.booking_id == Booking.id).exists()
        condition = or_(condition, unlinked)
    return condition


def blocks_of(host: Host):
    """Return the condition "the blocked date is `host`'s" (no host_id: the default host's)."""
    if host.is_default:
        return or_(BlockedDate.host_id == host.id, BlockedDate.host_id.is_(None))
    return BlockedDate.host_id == host.id


def _filtered(filter_: BookingFilter, zone_name: str):
    """Return the select statement for a filter, soonest first."""
    zone = get_zone(zone_name)
    query = db.select(Booking)
    if filter_.host is not None:
        query = query.where(held_by(filter_.host))
    if filter_.status:
        query = query.where(Booking.status == filter_.status)
    if filter_.service_type:
        query = query.where(Booking.service_type == filter_.service_type)
    if filter_.date_from:
        query = query.where(Booking.scheduled_at >= day_range_utc(filter_.date_from, filter_.date_from, zone)[0])
    if filter_.date_to:
        query = query.where(Booking.scheduled_at < day_range_utc(filter_.date_to, filter_.date_to, zone)[1])
    if filter_.q:
        pattern = "%" + filter_.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(*(column.ilike(pattern, escape="\\") for column in (
            Booking.client_name, Booking.client_email, Booking.client_company))))
    return query.order_by(Booking.scheduled_at.desc(), Booking.id.desc())


def list_bookings(filter_: BookingFilter, zone_name: str, page: int = 1,
                  per_page: int = PER_PAGE) -> Pagination:
    """Return one page of the bookings matching a filter; a page past the end gives the last one."""
    query = _filtered(filter_, zone_name)
    result = db.paginate(query, page=max(1, page), per_page=per_page, error_out=False)
    if result.pages and result.page > result.pages:
        result = db.paginate(query, page=result.pages, per_page=per_page, error_out=False)
    return result


def bookings_csv(filter_: BookingFilter, zone_name: str) -> Iterator[str]:
    """Yield the filtered bookings as CSV lines (header first), safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(value) for value in values])
        return buffer.getvalue()

    yield line(CSV_COLUMNS)
    for booking in db.session.scalars(_filtered(filter_, zone_name).execution_options(yield_per=500)):
        yield line(getattr(booking, column) for column in CSV_COLUMNS)


def _cell(value) -> str:
    """Render one CSV cell; neutralise text a spreadsheet would run as a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def get_booking(booking_id: int, host: Host | None = None) -> Booking | None:
    """Return a booking by its internal id (with `host`: only if it holds that host)."""
    if host is None:
        return db.session.get(Booking, booking_id)
    return db.session.scalar(db.select(Booking).where(Booking.id == booking_id, held_by(host)))


@dataclass(frozen=True)
class Dashboard:
    """What the admin sees first."""

    today: list[Booking]
    next_days: list[Booking]
    counts: dict[str, int]
    pending: list[Booking]
    failed_emails: int


def _of(host: Host | None):
    """Return the conditions limiting bookings to `host`'s (none for None: every booking)."""
    return [held_by(host)] if host is not None else []


def dashboard(now: datetime, zone_name: str, host: Host | None = None) -> Dashboard:
    """Return today's and the next 7 days' bookings, counts by status and what needs attention.

    With `host`, only the bookings that host holds (a host login's dashboard).
    """
    zone = get_zone(zone_name)
    today = now.astimezone(zone).date()
    day_start, day_end = day_range_utc(today, today, zone)
    week_end = day_range_utc(today + timedelta(days=7), today + timedelta(days=7), zone)[1]
    upcoming = list(db.session.scalars(db.select(Booking).where(
        Booking.scheduled_at >= day_start, Booking.scheduled_at < week_end,
        Booking.status != "cancelled", *_of(host)).order_by(Booking.scheduled_at)))
    counts = dict(db.session.execute(db.select(Booking.status, func.count()).where(*_of(host))
                                     .group_by(Booking.status)).all())
    pending = list(db.session.scalars(db.select(Booking).where(
        Booking.status == "pending", Booking.ends_at > now, *_of(host))
        .order_by(Booking.scheduled_at).limit(50)))
    failed = failed_count() if host is None else 0  # the outbox is the admins' page
    return Dashboard(
        today=[b for b in upcoming if b.scheduled_at < day_end],
        next_days=[b for b in upcoming if b.scheduled_at >= day_end],
        counts={status: counts.get(status, 0) for status in BOOKING_STATUSES},
        pending=pending, failed_emails=failed)


def calendar_range(first: date, last: date, zone_name: str,
                   host: Host | None = None) -> tuple[list[Booking], list[BlockedDate]]:
    """Return the non-cancelled bookings and the blocked dates between two business-zone days.

    With `host`, only that host's bookings and blocked dates.
    """
    start, end = day_range_utc(first, last, get_zone(zone_name))
    bookings = list(db.session.scalars(db.select(Booking).where(
        Booking.scheduled_at < end, Booking.ends_at > start, Booking.status != "cancelled", *_of(host))
        .order_by(Booking.scheduled_at)))
    blocks = list(db.session.scalars(db.select(BlockedDate).where(
        BlockedDate.blocked_date.between(first, last), *([blocks_of(host)] if host else []))
        .order_by(BlockedDate.blocked_date)))
    return bookings, blocks
