"""The seed's response shapes, built from bookings and availability."""
from datetime import datetime

from webapp.api.parsing import AvailabilityQuery, local_iso, utc_iso
from webapp.models import Booking, Host, ServiceType
from webapp.scheduling import get_zone
from webapp.services.availability import Availability
from webapp.services.tokens import manage_token

CREATED_FIELDS = ("id", "uid", "client_name", "client_email", "service_type", "title",
                  "scheduled_at", "scheduled_at_utc", "timezone", "duration_minutes", "status",
                  "meeting_provider", "meeting_url", "hosts", "created_at")
CANCELLED_FIELDS = ("id", "uid", "status", "cancellation_reason", "cancelled_at")


def booking_json(booking: Booking, *, admin: bool) -> dict:
    """Return the seed's GET /bookings/{id} shape (plus uid, zone and UTC start), as stored.

    Admin-token callers see the integer id; for anonymous callers `id` is the uid here, and
    `for_caller` swaps in their credential before answering.
    """
    return {
        "id": booking.id if admin else booking.uid,
        "uid": booking.uid,
        "client_name": booking.client_name,
        "client_email": booking.client_email,
        "client_phone": booking.client_phone,
        "service_type": booking.service_type,
        "title": booking.title,
        "scheduled_at": local_iso(booking.scheduled_at, booking.timezone),
        "scheduled_at_utc": utc_iso(booking.scheduled_at),
        "timezone": booking.timezone,
        "duration_minutes": booking.duration_minutes,
        "status": booking.status,
        "meeting_provider": booking.meeting_provider,
        "meeting_url": booking.meeting_url,
        "meeting_id": booking.meeting_id,
        "hosts": [host_json(host) for host in booking.hosts],
        "reminder_sent": bool(booking.reminder_sent),
        "cancellation_reason": booking.cancellation_reason,
        "cancelled_at": utc_iso(booking.cancelled_at),
        "created_at": utc_iso(booking.created_at),
    }


def host_json(host: Host) -> dict:
    """Return a host's public fields (never the email)."""
    return {"slug": host.slug, "name": host.name, "photo_url": host.photo_url, "timezone": host.timezone}


def created_json(booking: Booking, *, admin: bool) -> dict:
    """Return the seed's POST /bookings answer (manage_url is added by the caller, never stored)."""
    full = booking_json(booking, admin=admin)
    return {name: full[name] for name in CREATED_FIELDS}


def cancelled_json(booking: Booking, *, admin: bool) -> dict:
    """Return the seed's POST /bookings/{id}/cancel answer."""
    full = booking_json(booking, admin=admin)
    return {name: full[name] for name in CANCELLED_FIELDS}


def for_caller(body: dict, *, admin: bool) -> dict:
    """Return an answer as its caller sees it: anonymous callers get, as `id` and `uid`, the
    booking's manage token (the credential that opens it through the API), never the uid.

    Stored answers (idempotency) keep the uid, so no credential is ever written down.
    """
    if admin:
        return body
    handle = manage_token(body["uid"])
    return {**body, "id": handle, "uid": handle}


def availability_json(query: AvailabilityQuery, services: list[ServiceType],
                      found: Availability) -> dict:
    """Return the seed's availability answer: every local day of the range with its free slots."""
    zone = get_zone(query.zone)
    by_day: dict = {day: [] for day in query.days}
    starts: list[tuple[datetime, str, int]] = [
        (slot.start, service.key, int((slot.end - slot.start).total_seconds() // 60))
        for service in services for slot in found.slots[service.key]
    ]
    for start, key, minutes in sorted(starts):
        by_day.setdefault(start.astimezone(zone).date(), []).append({
            "datetime": local_iso(start, query.zone), "duration_minutes": minutes,
            "service_type": key, "available": True,
        })
    return {
        "availability": [{"date": day.isoformat(), "slots": slots, "total_available": len(slots)}
                         for day, slots in by_day.items()],
        "blocked_dates": [day.isoformat() for day in found.blocked_dates],
        "bookings_count": found.bookings_count,
        "timezone": query.zone,
    }
