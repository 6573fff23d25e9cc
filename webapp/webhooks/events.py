"""The events an endpoint may subscribe to, and the JSON body one event is sent as."""
import json
from datetime import datetime, timezone

BOOKING_CREATED = "booking.created"
BOOKING_RESCHEDULED = "booking.rescheduled"
BOOKING_CANCELLED = "booking.cancelled"
BOOKING_CONFIRMED = "booking.confirmed"
#: what the admin's "send test event" button sends (no endpoint subscribes to it)
TEST_EVENT = "webhook.test"

#: event type -> what the admin's form calls it, in the order the form lists them
EVENTS = {
    BOOKING_CREATED: "A booking is made",
    BOOKING_RESCHEDULED: "A booking is moved",
    BOOKING_CANCELLED: "A booking is cancelled",
    BOOKING_CONFIRMED: "A booking is confirmed",
}


def event_body(event_type: str, event_id: str, occurred_at: datetime, data: dict) -> dict:
    """Return one event as receivers get it: its id (stable across retries), type, time, data."""
    return {
        "id": event_id,
        "type": event_type,
        "created_at": occurred_at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z"),
        "data": data,
    }


def encode(body: dict) -> bytes:
    """Return the exact bytes sent (and signed): compact UTF-8 JSON."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
