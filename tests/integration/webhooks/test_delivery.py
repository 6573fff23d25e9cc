"""Booking events reach a real receiver through the outbox: each once, in order, signed, retried."""
import json
from datetime import datetime, timedelta, timezone

from tests.integration.notifications.support import book, weekday_at
from tests.integration.webhooks.support import deliveries, endpoint_for, perform_due
from webapp import outbox
from webapp.outbox.sweep import sweep
from webapp.services.bookings import cancel_booking, reschedule_booking
from webapp.services.tokens import manage_token
from webapp.services.webhooks import delete_endpoint

ALL_EVENTS = ["booking.created", "booking.confirmed", "booking.rescheduled", "booking.cancelled"]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _live_booking_story(now: datetime):
    """Book (confirmed automatically by the meeting step), move, cancel; perform after each step."""
    booking = book(weekday_at(10, 3, now), now)
    perform_due(now)
    reschedule_booking(booking.id, weekday_at(11, 4, now), now)
    perform_due(now)
    cancel_booking(booking.id, "Plans changed", now)
    perform_due(now)
    return booking


def test_every_booking_event_reaches_the_receiver_once_with_the_admin_shape(app, receiver):
    endpoint_for(receiver.url)
    now = _now()
    booking = _live_booking_story(now)

    assert receiver.events() == ALL_EVENTS
    bodies = [json.loads(item.body) for item in receiver.received]
    assert [body["type"] for body in bodies] == ALL_EVENTS
    assert {body["data"]["booking"]["id"] for body in bodies} == {booking.id}
    assert [body["data"]["booking"]["status"] for body in bodies] == [
        "pending", "confirmed", "confirmed", "cancelled"]
    assert bodies[2]["data"]["previous_scheduled_at_utc"] == (
        weekday_at(10, 3, now).strftime("%Y-%m-%dT%H:%M:%SZ"))
    for item, body in zip(receiver.received, bodies, strict=True):
        assert item.header("Content-Type") == "application/json"
        assert item.header("Webhook-Id") == body["id"]
        assert item.header("Webhook-Signature").startswith("t=")
        # the manage token opens the booking: it never leaves in a webhook
        assert manage_token(booking.uid).encode() not in item.body
    assert len({body["id"] for body in bodies}) == 4
    assert all(row.status == "sent" and row.payload["response_code"] == 200 for row in deliveries())


def test_an_endpoint_gets_only_the_events_it_subscribed_to(app, receiver):
    endpoint_for(receiver.url, events=["booking.cancelled"])
    _live_booking_story(_now())

    assert receiver.events() == ["booking.cancelled"]


def test_a_receiver_down_for_a_while_gets_every_event_exactly_once_when_it_returns(app, receiver):
    endpoint_for(receiver.url)
    receiver.stop()
    now = _now()
    _live_booking_story(now)
    for minutes in (2, 5, 10):  # the outbox retries with backoff while the receiver is down
        perform_due(now + timedelta(minutes=minutes))
    waiting = deliveries()
    assert [row.status for row in waiting] == ["pending"] * 4
    assert all(row.attempts >= 2 and "could not reach" in row.last_error for row in waiting)
    assert receiver.received == []

    receiver.start()
    later = now + timedelta(hours=2)
    perform_due(later)
    outbox.enqueue([row.id for row in deliveries()])  # a confused requeue changes nothing
    sweep(later)
    perform_due(later + timedelta(hours=1))

    assert sorted(receiver.events()) == sorted(ALL_EVENTS)
    assert len({item.header("Webhook-Id") for item in receiver.received}) == 4
    assert [row.status for row in deliveries()] == ["sent"] * 4


def test_a_receiver_answering_an_error_is_retried_and_the_code_is_logged(app, receiver):
    endpoint_for(receiver.url, events=["booking.created"])
    receiver.status = 503
    now = _now()
    book(weekday_at(10, 3, now), now)
    perform_due(now)

    (row,) = deliveries()
    assert row.status == "pending" and row.attempts == 1
    assert row.last_error == "webhook: HTTP 503 from the receiver"
    receiver.status = 200
    perform_due(now + timedelta(hours=1))

    (row,) = deliveries()
    assert row.status == "sent" and row.attempts == 2 and row.payload["response_code"] == 200
    first, second = receiver.received
    assert first.body == second.body and first.header("Webhook-Id") == second.header("Webhook-Id")


def test_an_inactive_endpoint_gets_nothing(app, receiver):
    endpoint_for(receiver.url, active=False)
    _live_booking_story(_now())

    assert receiver.received == [] and deliveries() == []


def test_deliveries_waiting_for_a_removed_endpoint_go_nowhere(app, receiver):
    old = endpoint_for(receiver.url, events=["booking.created"])
    now = _now()
    book(weekday_at(10, 3, now), now)
    delete_endpoint(old.id)
    new = endpoint_for(receiver.url, events=["booking.confirmed"])  # never takes the old id
    perform_due(now)

    assert new.id != old.id
    created, confirmed = deliveries()
    assert (created.status, created.last_error) == ("skipped", "the webhook endpoint was removed")
    assert confirmed.payload["endpoint_id"] == new.id and confirmed.status == "sent"
    assert receiver.events() == ["booking.confirmed"]
