"""The hot endpoints' database queries, counted: a regression fails here without timing anything.

While nothing changed, a request reads the configuration version and the bookings (one query
each); `/health` runs one `SELECT 1`. An admin change is seen by the very next request.
"""
from datetime import date, datetime, time, timezone

import pytest

from tests.factories import book, create_block, create_rule
from tests.sql import recorded_statements
from webapp.extensions import db
from webapp.models import AvailabilitySlot, ServiceType
from webapp.services.settings import save_settings

#: Monday 1 December 2025, 08:00 UTC: the defaults offer weekday hours from the 2nd
NOW = datetime(2025, 12, 1, 8, tzinfo=timezone.utc)
DAY = date(2025, 12, 10)
AVAILABILITY = "/api/v1/booking/calendar/availability"


@pytest.fixture
def app_config():
    """Freeze the clock."""
    return {"CLOCK": lambda: NOW}




def one_day(client, day: date = DAY, service: str = "consultation"):
    """Ask the API for one day's free times."""
    return client.post(AVAILABILITY, json={"start_date": day.isoformat(), "end_date": day.isoformat(),
                                           "service_type": service, "timezone": "Europe/Rome"})


def starts(response) -> list[str]:
    """Return the start times an availability answer offers."""
    if response.status_code != 200:
        return []
    return [slot["datetime"] for day in response.get_json()["availability"] for slot in day["slots"]]


HOT = {
    "availability API": lambda client: one_day(client),
    "31-day availability": lambda client: client.post(AVAILABILITY, json={
        "start_date": "2025-12-01", "end_date": "2025-12-31", "service_type": "consultation"}),
    "month page": lambda client: client.get("/book/consultation?month=2025-12"),
    "day partial": lambda client: client.get(f"/book/consultation?date={DAY}", headers={"HX-Request": "true"}),
}


@pytest.mark.parametrize("name", HOT)
def test_hot_endpoints_read_the_version_the_bookings_and_outside_busy_times_only(app, client, name):
    """Once warm, each hot endpoint runs three queries: the version, the bookings, outside busy times."""
    book(datetime(2025, 12, 10, 9, tzinfo=timezone.utc), NOW)
    HOT[name](client)  # warm the process's cache
    with recorded_statements() as statements:
        assert HOT[name](client).status_code == 200
    assert len(statements) == 3, statements
    assert "config_version" in statements[0] and "bookings" in statements[1]
    assert "external_busy" in statements[2]


def test_health_runs_one_trivial_query(app, client):
    """/health reads no settings and no configuration: one SELECT 1."""
    with recorded_statements() as statements:
        assert client.get("/api/v1/booking/health").status_code == 200
    assert statements == ["SELECT 1"]


def test_an_admin_change_is_seen_by_the_next_request(app, client):
    """A rule, a block, a service type and a setting changed between requests: each shows at once."""
    before = starts(one_day(client))
    assert before

    create_rule(day_of_week=DAY.weekday(), start_time=time(20), end_time=time(21), slot_duration=60)
    with_rule = starts(one_day(client))
    assert len(with_rule) == len(before) + 1

    db.session.execute(db.update(AvailabilitySlot).where(AvailabilitySlot.start_time == time(20))
                       .values(is_active=False))  # a bulk statement bumps too
    db.session.commit()
    assert starts(one_day(client)) == before

    block = create_block(blocked_date=DAY)
    assert starts(one_day(client)) == []
    db.session.delete(block)
    db.session.commit()
    assert starts(one_day(client)) == before

    db.session.scalar(db.select(ServiceType).where(ServiceType.key == "consultation")).is_active = False
    db.session.commit()
    assert one_day(client).status_code == 422

    save_settings(business_name="Renamed Studio")
    assert "Renamed Studio" in client.get("/").get_data(as_text=True)


def test_an_uncommitted_change_is_never_cached(app, client):
    """A change rolled back leaves the cache as it was (the version did not move for anyone)."""
    before = starts(one_day(client))
    create_rule(day_of_week=DAY.weekday(), start_time=time(20), end_time=time(21), slot_duration=60)
    db.session.query(AvailabilitySlot).filter(AvailabilitySlot.start_time == time(20)).delete()
    db.session.flush()
    db.session.rollback()
    assert len(starts(one_day(client))) == len(before) + 1
