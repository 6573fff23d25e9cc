"""The hot endpoints' database queries, counted: a regression fails here without timing anything.

While nothing changed, a hot request runs one query: the bookings, the outside busy times and
the configuration version together; `/health` runs one `SELECT 1`. An admin change, made in this
process or committed by another, is seen by the very next request.
"""
from datetime import date, datetime, time, timezone

import pytest

from tests.factories import book, create_block, create_rule
from tests.sql import recorded_statements
from webapp.extensions import db
from webapp.models import AvailabilitySlot, ConfigVersion, ServiceType
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
def test_hot_endpoints_run_one_query_when_nothing_changed(app, client, name):
    """Once warm, each hot endpoint runs one query: bookings, outside busy times and the version."""
    book(datetime(2025, 12, 10, 9, tzinfo=timezone.utc), NOW)
    HOT[name](client)  # warm the process's cache
    with recorded_statements() as statements:
        assert HOT[name](client).status_code == 200
    assert len(statements) == 1, statements
    assert all(table in statements[0] for table in ("bookings", "external_busy", "config_version"))


def test_an_unknown_service_type_costs_one_version_check(app, client):
    """A refusal decided on the cached configuration is checked against its version (one query)."""
    one_day(client)
    with recorded_statements() as statements:
        assert one_day(client, service="no-such-type").status_code == 422
    assert len(statements) == 1 and "config_version" in statements[0]


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


def test_a_change_committed_by_another_process_is_seen_by_the_next_request(app, client):
    """Rules switched off and the version bumped outside this process's sessions (as another
    process would): the next answer is computed again on the fresh configuration, then one query again."""
    assert starts(one_day(client))
    db.session.rollback()  # end the request's read transaction, as a server's teardown does
    with db.engine.begin() as other:  # a plain connection: none of this process's session events
        other.execute(db.update(AvailabilitySlot).values(is_active=False))
        other.execute(db.update(ConfigVersion).values(version=ConfigVersion.version + 1))
    with recorded_statements() as statements:
        assert starts(one_day(client)) == []
    assert len(statements) > 2  # the stale run's query, the version, the reload, the fresh run's query
    with recorded_statements() as statements:
        assert starts(one_day(client)) == []
    assert len(statements) == 1


def test_a_page_refused_on_a_stale_configuration_is_answered_again(app, client):
    """Another process deactivates, then reactivates a service type: the month page follows at once,
    whether the stale run rendered the page or refused it (404)."""
    page = HOT["month page"]
    assert page(client).status_code == 200
    for active, status in ((False, 404), (True, 200)):
        db.session.rollback()  # end the request's read transaction, as a server's teardown does
        with db.engine.begin() as other:
            other.execute(db.update(ServiceType).where(ServiceType.key == "consultation").values(is_active=active))
            other.execute(db.update(ConfigVersion).values(version=ConfigVersion.version + 1))
        assert page(client).status_code == status
