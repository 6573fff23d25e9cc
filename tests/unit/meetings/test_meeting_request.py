"""MeetingRequest validation and the Google event id derived from it."""
import re
from datetime import datetime, timedelta, timezone

import pytest

from webapp.meetings.google_meet import event_id_for

NOON = datetime(2030, 3, 31, 12, 0, tzinfo=timezone.utc)  # any aware instant


def test_naive_times_are_refused(make_request):
    with pytest.raises(ValueError):
        make_request(start=NOON.replace(tzinfo=None), end=NOON.replace(tzinfo=None) + timedelta(hours=1))


def test_an_end_before_the_start_is_refused(make_request):
    with pytest.raises(ValueError):
        make_request(start=NOON, end=NOON - timedelta(minutes=1))


def test_duration_rounds_up_to_whole_minutes(make_request):
    assert make_request(start=NOON, end=NOON + timedelta(minutes=29, seconds=1)).duration_minutes == 30


def test_google_event_id_is_stable_per_booking_and_uses_only_allowed_characters():
    assert event_id_for("bk_1") == event_id_for("bk_1") != event_id_for("bk_2")
    assert re.fullmatch(r"[a-v0-9]{5,1024}", event_id_for("Booking UID with Ünïcode"))
