"""Availability: ranges given as dates or date-times, any viewer zone, a fixed query count."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.factories import store_booking
from tests.integration.api.conftest import API, SEED_AVAILABILITY
from tests.sql import count_queries

AVAILABILITY = f"{API}/calendar/availability"


def ask(client, **changes):
    """Post the seed's availability body with changes; return the JSON answer."""
    response = client.post(AVAILABILITY, json={**SEED_AVAILABILITY, **changes})
    assert response.status_code == 200, response.json
    return response.json


def test_without_a_service_type_every_active_type_is_listed(client):
    day = ask(client, service_type=None, end_date="2025-11-05")["availability"][0]
    types = {slot["service_type"] for slot in day["slots"]}
    assert types == {"consultation", "demo", "support", "training"}
    nine = [s for s in day["slots"] if s["datetime"] == "2025-11-05T09:00:00"]
    assert {s["service_type"]: s["duration_minutes"] for s in nine}["training"] == 60
    assert day["total_available"] == len(day["slots"])


def test_slot_times_are_wall_times_in_the_requested_zone(client):
    body = ask(client, timezone="America/New_York", start_date="2025-11-05", end_date="2025-11-05")
    assert body["availability"][0]["slots"][0]["datetime"] == "2025-11-05T03:00:00"  # 09:00 Rome


def test_full_iso_datetimes_bound_the_range_exactly(client):
    body = ask(client, start_date="2025-11-05T15:00:00", end_date="2025-11-06T10:00:00")
    times = [s["datetime"] for day in body["availability"] for s in day["slots"]]
    assert times == ["2025-11-05T15:00:00", "2025-11-05T15:30:00", "2025-11-05T16:00:00",
                     "2025-11-05T16:30:00", "2025-11-06T09:00:00", "2025-11-06T09:30:00"]


def test_datetimes_with_an_offset_are_honoured(client):
    body = ask(client, start_date="2025-11-05T14:00:00Z", end_date="2025-11-05T15:00:00+00:00")
    times = [s["datetime"] for day in body["availability"] for s in day["slots"]]
    assert times == ["2025-11-05T15:00:00", "2025-11-05T15:30:00"]


def test_the_seed_python_example_range_is_accepted(client):
    start = datetime(2025, 11, 4, 21, 3, 7, 123456)
    body = ask(client, start_date=start.isoformat(), end_date=(start + timedelta(days=7)).isoformat())
    assert len(body["availability"]) == 8
    assert body["availability"][1]["slots"][0]["datetime"] == "2025-11-05T09:00:00"


def test_ninety_three_days_is_the_longest_range(client):
    assert client.post(AVAILABILITY, json={**SEED_AVAILABILITY, "start_date": "2025-11-05",
                                           "end_date": "2026-02-05"}).status_code == 200
    assert client.post(AVAILABILITY, json={**SEED_AVAILABILITY, "start_date": "2025-11-05",
                                           "end_date": "2026-02-06"}).status_code == 422


def test_utc_viewers_see_rome_opening_hours_shifted(client):
    body = ask(client, timezone="UTC", start_date="2025-11-10", end_date="2025-11-10")
    assert body["availability"][0]["slots"][0]["datetime"] == "2025-11-10T08:00:00"


@pytest.fixture
def many_bookings(app):
    """Two hundred bookings spread over the next sixty days."""
    start = datetime(2025, 11, 5, 8, tzinfo=timezone.utc)
    for n in range(200):
        at = start + timedelta(days=n % 60, minutes=30 * (n // 60))
        store_booking(scheduled_at=at, status="confirmed")




@pytest.mark.parametrize("service_type", ["consultation", None])
def test_query_count_is_the_same_for_a_week_and_two_months(client, many_bookings, service_type):
    def week():
        assert ask(client, service_type=service_type, end_date="2025-11-11")["bookings_count"] > 0

    def two_months():
        body = ask(client, service_type=service_type, end_date="2026-01-03")
        assert body["bookings_count"] == 200

    week()  # the first request loads the process's configuration cache
    week_count, months_count = count_queries(week), count_queries(two_months)
    assert week_count == months_count <= 3  # the configuration version, the bookings, outside busy times
