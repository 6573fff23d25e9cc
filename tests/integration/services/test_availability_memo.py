"""Availability kept per answer: the same as computing every time, and never stale.

`find_availability` keeps its answer with the configuration snapshot, keyed by the fresh rows
it read and the booking windows at `now` (`services/availability.py`). Each step below asks
with the memo and without it (`AVAILABILITY_MEMO = False`) and expects the same answer.
"""
from datetime import date, datetime, timedelta, timezone

import pytest

from tests.factories import create_block, store_booking
from webapp.extensions import db
from webapp.services.availability import active_service_types, find_availability

#: Monday 1 December 2025, 08:00 UTC: the defaults offer weekday hours from the 2nd
NOW = datetime(2025, 12, 1, 8, tzinfo=timezone.utc)
START, END = NOW, NOW + timedelta(days=14)


def both(app, now: datetime = NOW):
    """Return the answer with the memo and the answer computed afresh."""
    kept = find_availability(active_service_types(), START, END, now)
    app.config["AVAILABILITY_MEMO"] = False
    try:
        fresh = find_availability(active_service_types(), START, END, now)
    finally:
        app.config["AVAILABILITY_MEMO"] = True
    return kept, fresh


@pytest.fixture
def agreeing(app):
    """Return a check that the memo's answer equals a fresh one, and hand back the memo's."""
    def check(now: datetime = NOW):
        kept, fresh = both(app, now)
        assert kept == fresh
        return kept
    return check


def test_an_unchanged_question_gets_the_kept_answer(app, agreeing):
    first = agreeing()
    assert find_availability(active_service_types(), START, END, NOW) is first


def test_bookings_made_moved_and_cancelled_are_seen_at_once(app, agreeing):
    before = agreeing()
    booking = store_booking(scheduled_at=datetime(2025, 12, 2, 9, tzinfo=timezone.utc))
    booked = agreeing()
    assert booked != before and booked.bookings_count == 1
    booking.scheduled_at += timedelta(hours=2)
    booking.ends_at += timedelta(hours=2)
    db.session.commit()
    moved = agreeing()
    assert moved not in (before, booked)
    booking.status = "cancelled"
    db.session.commit()
    assert agreeing() == before


def test_the_clock_passing_a_start_changes_the_answer(app, agreeing):
    """Starts drop out as the minimum notice passes them, second by second, as without the memo."""
    at_eight = agreeing()
    a_second_later = agreeing(NOW + timedelta(seconds=1))  # the first start, exactly at the notice, is gone
    assert len(a_second_later.slots["consultation"]) == len(at_eight.slots["consultation"]) - 1
    assert agreeing(NOW + timedelta(minutes=29)) == a_second_later  # no start passes in between
    assert agreeing(NOW + timedelta(days=1, hours=2)) != a_second_later


def test_an_admin_change_is_seen_at_once(app, agreeing):
    before = agreeing()
    create_block(blocked_date=date(2025, 12, 3), all_day=True)
    after = agreeing()
    assert date(2025, 12, 3) not in {slot.start.date() for slot in after.slots["consultation"]}
    assert after != before
