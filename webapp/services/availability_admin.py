"""Admin edits of what can be booked: weekly rules, blocked dates and service types."""
from datetime import date, time, timedelta

from sqlalchemy import func, or_

from webapp.extensions import db
from webapp.mail.language import N_
from webapp.models import AvailabilitySlot, BlockedDate, Host, ServiceType
from webapp.services.errors import NotFound, ValidationFailed
from webapp.services.hosts import default_host

#: the longest vacation one form may block, in days
MAX_BLOCK_DAYS = 366
#: buffers are limited by how far the busy query looks around a range (12 hours)
MAX_BUFFER_MINUTES = 720
INVALID = "Please correct the highlighted fields."


# ---- weekly rules -----------------------------------------------------------------

def _owned_by(model, host: Host):
    """Return the condition "this rule or blocked date is `host`'s" (no host_id: the default host's)."""
    if host.is_default:
        return or_(model.host_id == host.id, model.host_id.is_(None))
    return model.host_id == host.id


def all_rules(host: Host | None = None) -> list[AvailabilitySlot]:
    """Return every weekly rule (only `host`'s, if given), by service type, day and start."""
    query = db.select(AvailabilitySlot)
    if host is not None:
        query = query.where(_owned_by(AvailabilitySlot, host))
    return list(db.session.scalars(query.order_by(
        AvailabilitySlot.service_type, AvailabilitySlot.day_of_week, AvailabilitySlot.start_time)))


def rule_of(rule_id: int, host: Host) -> AvailabilitySlot | None:
    """Return the weekly rule with this id if it is `host`'s."""
    return db.session.scalar(db.select(AvailabilitySlot).where(
        AvailabilitySlot.id == rule_id, _owned_by(AvailabilitySlot, host)))


def block_of(block_id: int, host: Host) -> BlockedDate | None:
    """Return the blocked date with this id if it is `host`'s."""
    return db.session.scalar(db.select(BlockedDate).where(BlockedDate.id == block_id, _owned_by(BlockedDate, host)))


def save_rule(*, service_type: str, day_of_week: int, start_time: time, end_time: time,
              slot_duration: int, is_active: bool = True, rule_id: int | None = None,
              host_id: int | None = None) -> AvailabilitySlot:
    """Create (or change) a weekly rule of a host (None: the default host, times in the host's zone).

    Raise ValidationFailed for an unknown type or an overlap with the same host's rules. The
    values are typed and in range (the form checked them); this checks what needs the database.
    """
    rule = _get(AvailabilitySlot, rule_id) if rule_id is not None else AvailabilitySlot()
    if _service_type(service_type) is None:
        _refuse("service_type", N_("Choose a service type."))
    if is_active and _overlapping_rule(service_type, day_of_week, start_time, end_time, rule_id, host_id):
        _refuse("start_time", N_("This overlaps another rule of the same type on that day."))
    rule.service_type, rule.day_of_week, rule.start_time, rule.end_time = (
        service_type, day_of_week, start_time, end_time)
    rule.host_id = host_id
    rule.slot_duration, rule.is_active = slot_duration, is_active
    db.session.add(rule)
    db.session.commit()
    return rule


def _overlapping_rule(service_type: str, day: int, start, end, rule_id: int | None,
                      host_id: int | None) -> bool:
    """Return True if an active rule of this host, type and day overlaps start-end."""
    default = default_host()
    default_id = default.id if default else None
    query = db.select(AvailabilitySlot.id).where(
        func.coalesce(AvailabilitySlot.host_id, default_id) == (host_id or default_id),
        AvailabilitySlot.service_type == service_type, AvailabilitySlot.day_of_week == day,
        AvailabilitySlot.is_active, AvailabilitySlot.start_time < end,
        AvailabilitySlot.end_time > start)
    if rule_id is not None:
        query = query.where(AvailabilitySlot.id != rule_id)
    return db.session.scalar(query.limit(1)) is not None


def delete_rule(rule_id: int) -> None:
    """Remove a weekly rule."""
    db.session.delete(_get(AvailabilitySlot, rule_id))
    db.session.commit()


# ---- blocked dates ----------------------------------------------------------------

def blocked_dates_from(first: date, host: Host | None = None) -> list[BlockedDate]:
    """Return the blocked dates on or after `first` (only `host`'s, if given), in date order."""
    query = db.select(BlockedDate).where(BlockedDate.blocked_date >= first)
    if host is not None:
        query = query.where(_owned_by(BlockedDate, host))
    return list(db.session.scalars(query.order_by(BlockedDate.blocked_date, BlockedDate.start_time)))


def block_dates(*, date_from: date, date_to: date | None, all_day: bool, start_time: time | None,
                end_time: time | None, reason: str, description: str | None,
                host_id: int | None = None) -> list[BlockedDate]:
    """Block a host's day or range of days (one row per day; None: the default host), all day or between two times."""
    last = date_to or date_from
    if all_day:
        start_time = end_time = None
    rows = [BlockedDate(host_id=host_id, blocked_date=date_from + timedelta(days=offset), reason=reason,
                        description=description, all_day=all_day, start_time=start_time, end_time=end_time)
            for offset in range((last - date_from).days + 1)]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def delete_blocked_date(block_id: int) -> None:
    """Unblock one blocked day (or part of a day)."""
    db.session.delete(_get(BlockedDate, block_id))
    db.session.commit()


# ---- service types ----------------------------------------------------------------

def all_service_types() -> list[ServiceType]:
    """Return every service type, active ones first."""
    return list(db.session.scalars(
        db.select(ServiceType).order_by(ServiceType.is_active.desc(), ServiceType.id)))


def create_service_type(key: str, **settings) -> ServiceType:
    """Create a service type with a new key; raise ValidationFailed if the key is taken.

    `settings` are update_service_type's keyword arguments.
    """
    if _service_type(key) is not None:
        _refuse("key", N_("A service type with this key exists already."))
    return _apply(ServiceType(key=key, is_active=True), **settings)


def update_service_type(key: str, **settings) -> ServiceType:
    """Change the service type called `key` (keyword arguments as _apply's); raise NotFound."""
    service = _service_type(key)
    if service is None:
        raise NotFound("No such service type.")
    return _apply(service, **settings)


def _apply(service: ServiceType, *, name: str, description: str | None, default_duration: int,
           allowed_durations: list[int], buffer_before: int, buffer_after: int,
           min_notice_minutes: int, max_days_ahead: int, requires_approval: bool) -> ServiceType:
    """Store a service type's settings; the default duration is always among the durations."""
    service.name, service.description, service.default_duration = name, description, default_duration
    service.allowed_durations = sorted(set(allowed_durations) | {default_duration})
    service.buffer_before, service.buffer_after = buffer_before, buffer_after
    service.min_notice_minutes, service.max_days_ahead = min_notice_minutes, max_days_ahead
    service.requires_approval = requires_approval
    db.session.add(service)
    db.session.commit()
    return service


def set_service_type_active(key: str, active: bool) -> ServiceType:
    """Deactivate (hide from clients) or reactivate a service type."""
    service = _service_type(key)
    if service is None:
        raise NotFound("No such service type.")
    service.is_active = active
    db.session.commit()
    return service


def _service_type(key: str | None) -> ServiceType | None:
    """Return the service type called `key`, active or not."""
    return db.session.scalar(db.select(ServiceType).where(ServiceType.key == key)) if key else None


def _refuse(field: str, message: str):
    """Raise ValidationFailed naming the field the form shows `message` beside."""
    raise ValidationFailed(INVALID, {field: message})


def _get(model, row_id: int):
    """Return the row of `model` with this id or raise NotFound."""
    row = db.session.get(model, row_id)
    if row is None:
        raise NotFound("No such item.")
    return row
