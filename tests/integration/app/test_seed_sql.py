"""The seed's own SQL snippets run on a migrated database, and the API offers what they add."""
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

from tests.factories import create_service_type
from webapp.extensions import db

SEED_DOC = Path(__file__).resolve().parents[4] / "shared" / "seed" / "booking-system.md"
#: the seed's "Configure default availability" snippet, exactly as written there
SEED_AVAILABILITY_SQL = """\
INSERT INTO availability_slots (day_of_week, start_time, end_time, slot_duration, service_type, is_active)
VALUES
  (0, '09:00', '17:00', 30, 'consultation', true),  -- Monday
  (1, '09:00', '17:00', 30, 'consultation', true),  -- Tuesday
  (2, '09:00', '17:00', 30, 'consultation', true),  -- Wednesday
  (3, '09:00', '17:00', 30, 'consultation', true),  -- Thursday
  (4, '09:00', '17:00', 30, 'consultation', true);  -- Friday
"""
#: the seed's "Block specific dates" snippet, exactly as written there
SEED_BLOCKED_SQL = """\
INSERT INTO blocked_dates (blocked_date, reason, all_day)
VALUES
  ('2025-12-25', 'Christmas', true),
  ('2025-12-26', 'Boxing Day', true),
  ('2025-01-01', 'New Year', true);
"""


def next_monday_in(weeks: int) -> date:
    """Return the Monday `weeks` weeks after this week's."""
    today = date.today()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


def run_seed_snippets(monday: date) -> dict[str, date]:
    """Run both snippets verbatim, the seed's past dates moved to `monday`'s week."""
    future = {"2025-12-25": monday + timedelta(days=2), "2025-12-26": monday + timedelta(days=3),
              "2025-01-01": monday + timedelta(days=7)}
    blocked_sql = SEED_BLOCKED_SQL
    for seed_day, day in future.items():
        blocked_sql = blocked_sql.replace(seed_day, day.isoformat())
    for statement in (SEED_AVAILABILITY_SQL, blocked_sql):
        db.session.execute(text(statement))
    db.session.commit()
    return future


def test_the_snippets_are_the_seeds_own():
    """The copies above are the seed's text (checked when the seed is beside the repository)."""
    if SEED_DOC.exists():
        seed = SEED_DOC.read_text()
        assert SEED_AVAILABILITY_SQL in seed and SEED_BLOCKED_SQL in seed


def test_seed_sql_rows_get_created_at_from_the_database(migrated_app):
    run_seed_snippets(next_monday_in(2))
    for table, count in (("availability_slots", 5), ("blocked_dates", 3)):
        stamps = db.session.execute(text(f"SELECT created_at FROM {table}")).scalars().all()
        assert len(stamps) == count and all(stamps), table


def test_the_api_offers_the_seed_sql_availability_and_blocks(migrated_app):
    create_service_type(key="consultation", max_days_ahead=60)
    monday = next_monday_in(2)
    blocked = run_seed_snippets(monday)
    answer = migrated_app.test_client().post("/api/v1/booking/calendar/availability", json={
        "start_date": monday.isoformat(), "end_date": (monday + timedelta(days=7)).isoformat(),
        "service_type": "consultation", "timezone": "Europe/Rome"}).json
    days = {day["date"]: day for day in answer["availability"]}
    assert sorted(answer["blocked_dates"]) == sorted(day.isoformat() for day in blocked.values())
    first = days[monday.isoformat()]["slots"]
    assert len(first) == 16 and first[0]["datetime"] == f"{monday}T09:00:00"
    assert first[-1]["datetime"] == f"{monday}T16:30:00"
    for day in blocked.values():
        assert days[day.isoformat()]["slots"] == []
    assert days[(monday + timedelta(days=5)).isoformat()]["slots"] == []  # Saturday: no rule
