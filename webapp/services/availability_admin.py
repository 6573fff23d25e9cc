"""Admin edits of what can be booked: weekly rules, blocked dates and service types."""
import re
from collections.abc import Mapping
from datetime import date, timedelta

from webapp.extensions import db
from webapp.models import AvailabilitySlot, BlockedDate, ServiceType
from webapp.models.service_type import MAX_DURATION, MIN_DURATION
from webapp.services.admin_fields import AdminFieldErrors, flag
from webapp.services.errors import NotFound

#: the longest vacation one form may block, in days
MAX_BLOCK_DAYS = 366
#: buffers are limited by how far the busy query looks around a range (12 hours)
MAX_BUFFER_MINUTES = 720
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


# ---- weekly rules -----------------------------------------------------------------

def all_rules() -> list[AvailabilitySlot]:
    """Return every weekly rule, by service type, day and start."""
    return list(db.session.scalars(db.select(AvailabilitySlot).order_by(
        AvailabilitySlot.service_type, AvailabilitySlot.day_of_week, AvailabilitySlot.start_time)))


def save_rule(data: Mapping, rule_id: int | None = None) -> AvailabilitySlot:
    """Create (or change) a weekly rule after checking it; raise ValidationFailed."""
    rule = _get(AvailabilitySlot, rule_id) if rule_id is not None else AvailabilitySlot()
    errors = AdminFieldErrors()
    service_type = str(data.get("service_type") or "")
    if _service_type(service_type) is None:
        errors["service_type"] = "Choose a service type."
    day = errors.integer("day_of_week", data.get("day_of_week"), low=0, high=6)
    start = errors.clock("start_time", data.get("start_time"))
    end = errors.clock("end_time", data.get("end_time"))
    step = errors.integer("slot_duration", data.get("slot_duration"), low=MIN_DURATION,
                          high=MAX_DURATION)
    if start and end and start >= end:
        errors["end_time"] = "The end must be after the start."
    if not errors and _overlapping_rule(service_type, day, start, end, rule_id):
        errors["start_time"] = "This overlaps another rule of the same type on that day."
    errors.raise_if_any()
    rule.service_type, rule.day_of_week, rule.start_time, rule.end_time = service_type, day, start, end
    rule.slot_duration, rule.is_active = step, flag(data.get("is_active", "on"))
    db.session.add(rule)
    db.session.commit()
    return rule


def _overlapping_rule(service_type: str, day: int, start, end, rule_id: int | None) -> bool:
    """Return True if an active rule of this type and day overlaps start-end."""
    query = db.select(AvailabilitySlot.id).where(
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

def blocked_dates_from(first: date) -> list[BlockedDate]:
    """Return the blocked dates on or after `first`, in date order."""
    return list(db.session.scalars(db.select(BlockedDate).where(BlockedDate.blocked_date >= first)
                                   .order_by(BlockedDate.blocked_date, BlockedDate.start_time)))


def block_dates(data: Mapping) -> list[BlockedDate]:
    """Block a day or a range of days (one row per day), all day or between two times."""
    errors = AdminFieldErrors()
    first = errors.day("date_from", data.get("date_from"))
    last = errors.day("date_to", data.get("date_to"), required=False) or first
    all_day = flag(data.get("all_day"))
    start = None if all_day else errors.clock("start_time", data.get("start_time"))
    end = None if all_day else errors.clock("end_time", data.get("end_time"))
    reason = errors.text("reason", data.get("reason"), required=True, max_length=200)
    description = errors.text("description", data.get("description"), required=False,
                              max_length=5000, multiline=True)
    if first and last and last < first:
        errors["date_to"] = "The last day must not be before the first."
    elif first and last and (last - first).days >= MAX_BLOCK_DAYS:
        errors["date_to"] = f"Block at most {MAX_BLOCK_DAYS} days at once."
    if start and end and start >= end:
        errors["end_time"] = "The end must be after the start."
    errors.raise_if_any()
    rows = [BlockedDate(blocked_date=first + timedelta(days=offset), reason=reason,
                        description=description, all_day=all_day, start_time=start, end_time=end)
            for offset in range((last - first).days + 1)]
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


def save_service_type(data: Mapping, key: str | None = None) -> ServiceType:
    """Create a service type, or change the one called `key`; raise ValidationFailed."""
    service = _service_type(key) if key is not None else ServiceType(is_active=True)
    if service is None:
        raise NotFound("No such service type.")
    errors = AdminFieldErrors()
    if key is None:
        service.key = _new_key(errors, data.get("key"))
    name = errors.text("name", data.get("name"), required=True, max_length=120)
    description = errors.text("description", data.get("description"), required=False,
                              max_length=5000, multiline=True)
    default = errors.integer("default_duration", data.get("default_duration"),
                             low=MIN_DURATION, high=MAX_DURATION)
    durations = errors.number_list("allowed_durations", data.get("allowed_durations"),
                                   low=MIN_DURATION, high=MAX_DURATION)
    numbers = {
        "buffer_before": errors.integer("buffer_before", data.get("buffer_before") or 0,
                                        low=0, high=MAX_BUFFER_MINUTES),
        "buffer_after": errors.integer("buffer_after", data.get("buffer_after") or 0,
                                       low=0, high=MAX_BUFFER_MINUTES),
        "min_notice_minutes": errors.integer("min_notice_minutes",
                                             data.get("min_notice_minutes") or 0,
                                             low=0, high=60 * 24 * 60),
        "max_days_ahead": errors.integer("max_days_ahead", data.get("max_days_ahead"),
                                         low=1, high=730),
    }
    errors.raise_if_any()
    service.name, service.description, service.default_duration = name, description, default
    service.allowed_durations = sorted(set(durations) | {default})
    for field, value in numbers.items():
        setattr(service, field, value)
    service.requires_approval = flag(data.get("requires_approval"))
    db.session.add(service)
    db.session.commit()
    return service


def _new_key(errors: AdminFieldErrors, value) -> str | None:
    """Check a new service type's key: a short unique slug."""
    key = errors.text("key", value, required=True, max_length=40)
    if key and "key" not in errors:
        if not _KEY.match(key):
            errors["key"] = "Use lowercase letters, digits, - and _ only."
        elif _service_type(key) is not None:
            errors["key"] = "A service type with this key exists already."
    return key


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


def _get(model, row_id: int):
    """Return the row of `model` with this id or raise NotFound."""
    row = db.session.get(model, row_id)
    if row is None:
        raise NotFound("No such item.")
    return row
