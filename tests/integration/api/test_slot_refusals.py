"""A time never offered is "not available"; one a booking holds is "just taken": both 409."""
from datetime import date

import pytest

from tests.factories import create_block
from tests.integration.api.conftest import API, SEED_BOOKING, snapshot

BOOKINGS = f"{API}/bookings"
NOT_AVAILABLE = "That time is not available. Please choose another."
JUST_TAKEN = "That time was just taken. Please choose another."


@pytest.mark.parametrize("scheduled_at", [
    "2025-11-06T10:10:00",  # between two steps
    "2025-11-06T18:00:00",  # after hours
    "2025-11-08T10:00:00",  # a Saturday
    "2025-11-06T10:00:00+09:00",  # an offset that lands at night in Rome
])
def test_a_time_never_offered_answers_not_available(client, scheduled_at):
    before = snapshot()
    response = client.post(BOOKINGS, json={**SEED_BOOKING, "scheduled_at": scheduled_at})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "slot_unavailable"
    assert response.json["error"]["message"] == NOT_AVAILABLE
    assert snapshot() == before


def test_a_blocked_day_answers_not_available(client):
    create_block(blocked_date=date(2025, 11, 6))
    response = client.post(BOOKINGS, json={**SEED_BOOKING, "scheduled_at": "2025-11-06T10:00:00"})
    assert response.status_code == 409 and response.json["error"]["message"] == NOT_AVAILABLE


def test_a_time_a_booking_holds_answers_just_taken(client):
    held = {**SEED_BOOKING, "scheduled_at": "2025-11-05T09:30:00"}
    assert client.post(BOOKINGS, json=held).status_code == 201
    for same, longer in (("09:30", 30), ("09:00", 60)):  # the same time, or an hour overlapping it
        response = client.post(BOOKINGS, json={**SEED_BOOKING, "scheduled_at": f"2025-11-05T{same}:00",
                                               "duration_minutes": longer,
                                               "client_email": "other@example.com"})
        assert response.status_code == 409
        assert response.json["error"]["code"] == "slot_taken"
        assert response.json["error"]["message"] == JUST_TAKEN
