"""Load the engine's inputs in a fixed number of queries and ask it for free slots."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func

from webapp.extensions import db
from webapp.models import AvailabilitySlot, BlockedDate, Booking, ServiceType
from webapp.models.booking import ACTIVE_STATUSES
from webapp.scheduling import (
    Block,
    BookingWindow,
    Busy,
    Limits,
    Refusal,
    Slot,
    WeeklyRule,
    booking_window,
    free_slots,
    get_zone,
    why_not_free,
)
from webapp.services.settings import get_settings

#: the longest buffer any booking may keep, so the busy query can look a little wider
MAX_BUFFER = timedelta(hours=12)


@dataclass(frozen=True)
class Availability:
    """Free slots per service type in a range, and what the range holds."""

    slots: dict[str, list[Slot]]
    #: business-zone dates blocked all day
    blocked_dates: list[date]
    #: active bookings overlapping the range
    bookings_count: int


def limits_for(service: ServiceType, duration: int | None = None) -> Limits:
    """Return the engine limits of a service type for a chosen duration."""
    return Limits(
        duration=timedelta(minutes=duration or service.default_duration),
        buffer_before=timedelta(minutes=service.buffer_before),
        buffer_after=timedelta(minutes=service.buffer_after),
        min_notice=timedelta(minutes=service.min_notice_minutes),
        max_days_ahead=service.max_days_ahead,
    )


def active_service_types() -> list[ServiceType]:
    """Return the active service types in a stable order (one query)."""
    return list(db.session.scalars(
        db.select(ServiceType).where(ServiceType.is_active).order_by(ServiceType.id)
    ))


def get_service_type(key: str) -> ServiceType | None:
    """Return the active service type called `key`, if any."""
    return db.session.scalar(
        db.select(ServiceType).where(ServiceType.key == key, ServiceType.is_active)
    )


def _rules(keys: list[str]) -> dict[str, list[WeeklyRule]]:
    """Return the active weekly rules of the given types, by type."""
    rows = db.session.execute(
        db.select(AvailabilitySlot.service_type, AvailabilitySlot.day_of_week,
                  AvailabilitySlot.start_time, AvailabilitySlot.end_time,
                  AvailabilitySlot.slot_duration)
        .where(AvailabilitySlot.is_active, AvailabilitySlot.service_type.in_(keys))
    )
    rules: dict[str, list[WeeklyRule]] = {key: [] for key in keys}
    for key, day, start, end, step in rows:
        rules[key].append(WeeklyRule(day, start, end, step))
    return rules


def _blocks(first: date, last: date) -> list[Block]:
    """Return the blocked dates between two business-zone dates."""
    rows = db.session.execute(
        db.select(BlockedDate.blocked_date, BlockedDate.all_day, BlockedDate.start_time,
                  BlockedDate.end_time)
        .where(BlockedDate.blocked_date.between(first, last))
    )
    return [Block(day, None if all_day else start, None if all_day else end)
            for day, all_day, start, end in rows]


def _busy(start: datetime, end: datetime, exclude_booking_id: int | None) -> list[Busy]:
    """Return active bookings near [start, end) with their types' buffers."""
    query = (
        db.select(Booking.scheduled_at, Booking.ends_at,
                  func.coalesce(ServiceType.buffer_before, 0),
                  func.coalesce(ServiceType.buffer_after, 0))
        .outerjoin(ServiceType, ServiceType.key == Booking.service_type)
        .where(Booking.status.in_(ACTIVE_STATUSES),
               and_(Booking.scheduled_at < end + MAX_BUFFER,
                    Booking.ends_at > start - MAX_BUFFER))
    )
    if exclude_booking_id is not None:
        query = query.where(Booking.id != exclude_booking_id)
    return [Busy(s, e, timedelta(minutes=before), timedelta(minutes=after))
            for s, e, before, after in db.session.execute(query)]


def business_zone() -> ZoneInfo:
    """Return the business zone, where weekly availability and the booking window are defined."""
    return get_zone(get_settings().business_timezone)


def booking_window_for(service: ServiceType, now: datetime) -> BookingWindow:
    """Return when `service` can be booked at `now` (the one booking rule, see scheduling/rule.py)."""
    return booking_window(limits_for(service), business_zone(), now)


@dataclass(frozen=True)
class _EngineInputs:
    """What the engine needs besides limits and now, loaded for a range in three queries."""

    zone: ZoneInfo
    rules: dict[str, list[WeeklyRule]]
    blocks: list[Block]
    busy: list[Busy]


def _load(services: list[ServiceType], start: datetime, end: datetime,
          exclude_booking_id: int | None) -> _EngineInputs:
    """Load the rules, blocks and bookings that matter to [start, end): three queries."""
    zone = business_zone()
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    return _EngineInputs(zone=zone, rules=_rules([service.key for service in services]),
                         blocks=_blocks(first, last), busy=_busy(start, end, exclude_booking_id))


def find_availability(services: list[ServiceType], start: datetime, end: datetime,
                      now: datetime, *, duration: int | None = None,
                      exclude_booking_id: int | None = None) -> Availability:
    """Return free slots of each service type starting in [start, end).

    Three queries whatever the range or the number of types and bookings.
    """
    inputs = _load(services, start, end, exclude_booking_id)
    slots = {
        service.key: free_slots(rules=inputs.rules[service.key], blocks=inputs.blocks,
                                busy=inputs.busy, limits=limits_for(service, duration),
                                zone=inputs.zone, start=start, end=end, now=now)
        for service in services
    }
    in_range = sum(1 for b in inputs.busy if b.start < end and b.end > start)
    blocked = sorted({block.day for block in inputs.blocks if block.all_day})
    return Availability(slots=slots, blocked_dates=blocked, bookings_count=in_range)


def why_slot_not_free(service: ServiceType, start: datetime, duration: int, now: datetime,
                      *, exclude_booking_id: int | None = None) -> Refusal | None:
    """Return why `service` cannot be booked at `start` for `duration` minutes, or None if it can."""
    inputs = _load([service], start, start + timedelta(minutes=duration), exclude_booking_id)
    return why_not_free(start, rules=inputs.rules[service.key], blocks=inputs.blocks,
                        busy=inputs.busy, limits=limits_for(service, duration), zone=inputs.zone,
                        now=now)
