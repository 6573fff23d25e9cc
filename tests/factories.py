"""Factories that fill defaults, so a test states only what matters to it."""
from datetime import date, datetime, time, timedelta, timezone

from webapp.extensions import db
from webapp.models import AvailabilitySlot, BlockedDate, Booking, ServiceType
from webapp.models.booking import new_uid
from webapp.services.bookings import BookingRequest, CreatedBooking, create_booking
from webapp.services.hosts import default_host
from webapp.services.tokens import manage_token, token_hash


def create_service_type(**params) -> ServiceType:
    """Store a service type; defaults: 30-minute consultation-like type."""
    params.setdefault("key", "consultation")
    params.setdefault("name", params["key"].title())
    params.setdefault("default_duration", 30)
    params.setdefault("allowed_durations", [params["default_duration"]])
    params.setdefault("min_notice_minutes", 0)
    params.setdefault("max_days_ahead", 365)
    service = ServiceType(**params)
    db.session.add(service)
    db.session.commit()
    return service


def create_rule(**params) -> AvailabilitySlot:
    """Store a weekly rule; defaults: Monday 09:00-17:00, 30-minute steps, consultation."""
    params.setdefault("day_of_week", 0)
    params.setdefault("start_time", time(9))
    params.setdefault("end_time", time(17))
    params.setdefault("slot_duration", 30)
    params.setdefault("service_type", "consultation")
    rule = AvailabilitySlot(**params)
    db.session.add(rule)
    db.session.commit()
    return rule


def create_block(**params) -> BlockedDate:
    """Store a blocked date; defaults: all day, tomorrow."""
    params.setdefault("blocked_date", date.today() + timedelta(days=1))
    params.setdefault("reason", "Holiday")
    params.setdefault("all_day", params.get("start_time") is None)
    block = BlockedDate(**params)
    db.session.add(block)
    db.session.commit()
    return block


def build_booking(**params) -> Booking:
    """Return an unsaved booking; defaults: a pending 30-minute consultation in 2030."""
    params.setdefault("scheduled_at", datetime(2030, 1, 7, 9, tzinfo=timezone.utc))
    params.setdefault("duration_minutes", 30)
    params.setdefault("ends_at", params["scheduled_at"] + timedelta(minutes=params["duration_minutes"]))
    params.setdefault("uid", new_uid())
    params.setdefault("client_name", "Mario Rossi")
    params.setdefault("client_email", "mario@example.com")
    params.setdefault("service_type", "consultation")
    params.setdefault("title", "Consulenza")
    params.setdefault("timezone", "Europe/Rome")
    params.setdefault("status", "pending")
    params.setdefault("meeting_provider", "jitsi")
    params.setdefault("version", 0)
    return Booking(**params)


def store_booking(**params) -> Booking:
    """Store a booking row directly, bypassing the service, with its manage-token hash.

    For states a client cannot book into (past, completed, cancelled, a time off the
    schedule); a test that needs a booking as a client makes it uses `book`. It holds
    `hosts` (default: the default host), as a booked one would.
    """
    hosts = params.pop("hosts", None)
    booking = build_booking(**params)
    booking.hold_hosts(hosts if hosts is not None else [h for h in [default_host()] if h])
    booking.manage_token_hash = booking.manage_token_hash or token_hash(manage_token(booking.uid))
    db.session.add(booking)
    db.session.commit()
    return booking


def book(start: datetime, now: datetime, **fields) -> CreatedBooking:
    """Book `start` through the booking service, as a client would; defaults fill the rest.

    Defaults: a consultation in Europe/Rome for Mario Rossi <mario@example.com>. Returns the
    booking and the manage token its client received.
    """
    fields.setdefault("service_type", "consultation")
    fields.setdefault("timezone", "Europe/Rome")
    fields.setdefault("client_name", "Mario Rossi")
    fields.setdefault("client_email", "mario@example.com")
    return create_booking(BookingRequest(scheduled_at=start, **fields), now)
