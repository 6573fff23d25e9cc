"""A booking ends after it starts and lasts at most a day, so availability reads only nearby bookings."""
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from tests.factories import store_booking
from tests.integration.api.conftest import API, NOW, SEED_AVAILABILITY
from webapp.extensions import db
from webapp.models.booking import MAX_BOOKING_SPAN
from webapp.services import availability

NOON_ROME = datetime(2025, 11, 5, 11, tzinfo=timezone.utc)


@pytest.fixture
def app_config():
    """The API tests' clock: the day before the seed's example booking."""
    return {"CLOCK": lambda: NOW}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """The check is the database's own: both dialects keep it."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'booking.db'}"


@pytest.mark.parametrize("ends_after", [MAX_BOOKING_SPAN + timedelta(minutes=1), timedelta(0), timedelta(minutes=-30)],
                         ids=["longer than a day", "no time at all", "ends before it starts"])
def test_the_database_refuses_a_booking_outside_the_span(app, ends_after):
    with pytest.raises(IntegrityError, match="span_within_a_day"):
        store_booking(scheduled_at=NOON_ROME, ends_at=NOON_ROME + ends_after)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(db.metadata.tables["bookings"])) == 0


def free_starts(client, day: str) -> list[str]:
    """Return the consultation's free starts on `day` (Rome), asked for that day alone."""
    answer = client.post(f"{API}/calendar/availability", json={**SEED_AVAILABILITY, "start_date": day, "end_date": day})
    assert answer.status_code == 200, answer.json
    return [slot["datetime"] for slot in answer.json["availability"][0]["slots"]]


def test_a_booking_of_the_longest_span_holds_its_whole_time(app, client):
    """Asked for its first day alone, the query still finds it though it ends the next day."""
    store_booking(scheduled_at=NOON_ROME, ends_at=NOON_ROME + MAX_BOOKING_SPAN, duration_minutes=24 * 60,
                  status="confirmed")
    first, second = free_starts(client, "2025-11-05"), free_starts(client, "2025-11-06")
    assert first and max(first) < "2025-11-05T12:00:00"
    assert second and min(second) >= "2025-11-06T12:00:00"


def test_availability_reads_the_index_only_up_to_a_day_past_its_range(app):
    """SQLite's plan: the bookings' index is searched between two ends, not to the last booking ahead."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    params = availability.fresh_params(NOON_ROME, NOON_ROME + timedelta(days=1), [1], 1)
    sql, args = availability._FRESH[False]._sql_and_args(db.engine.dialect, params)
    with sqlite3.connect(db.engine.url.database) as connection:
        plan = " ".join(row[-1] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", args))
    assert "ix_bookings_active_span (status=? AND ends_at>? AND ends_at<?)" in plan
