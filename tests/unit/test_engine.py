"""The availability engine: rules, zones, DST, blocks, buffers, notice and window."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from webapp.scheduling import (
    AmbiguousTimeError,
    Block,
    Busy,
    BusySeconds,
    Limits,
    NonexistentTimeError,
    Refusal,
    WeeklyRule,
    booking_window,
    free_slots,
    is_valid_zone,
    local_to_utc,
    why_not_free,
)
from webapp.scheduling.calendar import day_range_utc, group_by_day

ROME = ZoneInfo("Europe/Rome")
NEW_YORK = ZoneInfo("America/New_York")
UTC = timezone.utc
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
ONE_DAY = timedelta(days=1)
WEEKDAYS_9_TO_17 = [WeeklyRule(day, time(9), time(17), 30) for day in range(5)]
HALF_HOUR = Limits(duration=timedelta(minutes=30), max_days_ahead=10_000)


def utc(*args) -> datetime:
    """Return an aware UTC datetime."""
    return datetime(*args, tzinfo=UTC)


def slots_on(day: date, *, rules=WEEKDAYS_9_TO_17, blocks=(), busy=(), limits=HALF_HOUR,
             now=LONG_AGO, zone=ROME):
    """Return the free slot starts of one business-zone day."""
    start, end = day_range_utc(day, day, zone)
    return [slot.start for slot in free_slots(rules=list(rules), blocks=list(blocks),
                                              busy=list(busy), limits=limits, zone=zone,
                                              start=start, end=end, now=now)]


def test_weekday_rule_gives_sixteen_half_hour_slots_in_business_zone():
    starts = slots_on(date(2026, 11, 30))
    assert len(starts) == 16
    assert starts[0] == utc(2026, 11, 30, 8)  # 09:00 in Rome (UTC+1)
    assert starts[-1] == utc(2026, 11, 30, 15, 30)  # last start leaves room for 30 minutes


def test_weekend_without_rules_has_no_slots():
    assert slots_on(date(2026, 11, 28)) == []


def test_nine_oclock_stays_nine_oclock_across_spring_forward():
    before = slots_on(date(2026, 3, 27))[0]
    after = slots_on(date(2026, 3, 30))[0]
    assert before == utc(2026, 3, 27, 8)
    assert after == utc(2026, 3, 30, 7)
    assert before.astimezone(ROME).time() == after.astimezone(ROME).time() == time(9)


def test_wall_times_skipped_by_spring_forward_are_not_offered():
    sunday_night = [WeeklyRule(6, time(1), time(4), 30)]
    starts = slots_on(date(2026, 3, 29), rules=sunday_night)
    local = [s.astimezone(ROME).strftime("%H:%M") for s in starts]
    assert local == ["01:00", "01:30", "03:00", "03:30"]


def test_repeated_wall_times_at_fall_back_use_their_first_instant_once():
    sunday_night = [WeeklyRule(6, time(2), time(3, 30), 30)]
    starts = slots_on(date(2026, 10, 25), rules=sunday_night)
    assert starts == [utc(2026, 10, 25, 0), utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 2)]
    assert len(set(starts)) == len(starts)


def test_nine_oclock_stays_nine_oclock_across_fall_back():
    assert slots_on(date(2026, 10, 23))[0] == utc(2026, 10, 23, 7)
    assert slots_on(date(2026, 10, 26))[0] == utc(2026, 10, 26, 8)


def test_new_york_viewer_sees_rome_mornings_shift_with_both_dst_changes():
    start, end = day_range_utc(date(2026, 3, 1), date(2026, 3, 31), NEW_YORK)
    slots = free_slots(rules=WEEKDAYS_9_TO_17, blocks=[], busy=[], limits=HALF_HOUR, zone=ROME,
                       start=start, end=end, now=LONG_AGO)
    days = group_by_day(slots, NEW_YORK)
    first_local = {day: found[0].start.astimezone(NEW_YORK).time() for day, found in days.items()}
    assert first_local[date(2026, 3, 6)] == time(3)   # both on standard time: 6 hours apart
    assert first_local[date(2026, 3, 10)] == time(4)  # New York moved first: 5 hours apart
    assert first_local[date(2026, 3, 30)] == time(3)  # Rome moved too: 6 hours again


def test_viewer_day_range_covers_the_whole_local_day():
    start, end = day_range_utc(date(2026, 3, 29), date(2026, 3, 29), ROME)
    assert end - start == timedelta(hours=23)


def test_all_day_block_removes_the_day():
    day = date(2026, 12, 1)
    assert slots_on(day, blocks=[Block(day)]) == []
    assert slots_on(date(2026, 12, 2), blocks=[Block(day)])


def test_partial_block_removes_only_overlapping_slots():
    day = date(2026, 12, 1)
    starts = slots_on(day, blocks=[Block(day, time(12), time(14))])
    local = {s.astimezone(ROME).strftime("%H:%M") for s in starts}
    assert {"11:30", "14:00"} <= local
    assert not {"12:00", "12:30", "13:00", "13:30"} & local


def test_existing_booking_of_any_type_takes_its_time_and_buffers():
    day = date(2026, 12, 1)
    meeting = Busy(utc(2026, 12, 1, 9), utc(2026, 12, 1, 9, 30), buffer_after=timedelta(minutes=15))
    local = {s.astimezone(ROME).strftime("%H:%M") for s in slots_on(day, busy=[meeting])}
    assert "10:00" not in local  # the meeting itself (10:00 Rome)
    assert "10:30" not in local  # its 15 minutes after
    assert {"09:30", "11:00"} <= local


def test_busy_times_in_epoch_seconds_count_exactly_like_datetimes():
    """The loader hands the engine BusySeconds (straight from SQL); the answer is the same."""
    day = date(2026, 12, 1)
    meetings = [Busy(utc(2026, 12, 1, 9), utc(2026, 12, 1, 9, 30), buffer_after=timedelta(minutes=15)),
                Busy(utc(2026, 12, 1, 13, 10), utc(2026, 12, 1, 13, 40), buffer_before=timedelta(minutes=20))]
    in_seconds = [meeting.seconds() for meeting in meetings]
    assert in_seconds[0] == BusySeconds(int(utc(2026, 12, 1, 9).timestamp()),
                                        int(utc(2026, 12, 1, 9, 30).timestamp()), 0, 900)
    assert slots_on(day, busy=in_seconds) == slots_on(day, busy=meetings) != slots_on(day)


def test_new_slot_keeps_its_own_buffer_before_from_existing_meetings():
    day = date(2026, 12, 1)
    meeting = Busy(utc(2026, 12, 1, 9), utc(2026, 12, 1, 9, 30))
    padded = Limits(duration=timedelta(minutes=30), buffer_before=timedelta(minutes=30),
                    max_days_ahead=10_000)
    local = {s.astimezone(ROME).strftime("%H:%M") for s in slots_on(day, busy=[meeting], limits=padded)}
    assert "10:30" not in local and "11:00" in local
    assert "09:30" in local  # nothing before needs its buffer


def test_longer_duration_must_fit_inside_the_rule_and_around_bookings():
    day = date(2026, 12, 1)
    hour = Limits(duration=timedelta(minutes=60), max_days_ahead=10_000)
    meeting = Busy(utc(2026, 12, 1, 11), utc(2026, 12, 1, 11, 30))  # 12:00 Rome
    local = [s.astimezone(ROME).strftime("%H:%M") for s in slots_on(day, busy=[meeting], limits=hour)]
    assert local[-1] == "16:00"
    assert "11:30" not in local and "11:00" in local and "12:30" in local


def test_minimum_notice_hides_slots_too_soon():
    now = utc(2026, 12, 1, 8, 10)  # 09:10 Rome
    notice = Limits(duration=timedelta(minutes=30), min_notice=timedelta(hours=2), max_days_ahead=30)
    starts = slots_on(date(2026, 12, 1), limits=notice, now=now)
    assert starts[0] == utc(2026, 12, 1, 10, 30)  # 11:30 Rome, first start >= 11:10


def test_window_hides_days_beyond_max_days_ahead():
    now = utc(2026, 12, 1, 8)
    window = Limits(duration=timedelta(minutes=30), max_days_ahead=7)
    assert slots_on(date(2026, 12, 8), limits=window, now=now)
    assert slots_on(date(2026, 12, 9), limits=window, now=now) == []


def test_why_not_free_answers_for_one_start_with_the_reason():
    inputs = dict(rules=WEEKDAYS_9_TO_17, blocks=[], limits=HALF_HOUR, zone=ROME, now=LONG_AGO)
    booked = Busy(utc(2026, 12, 1, 8), utc(2026, 12, 1, 8, 30))
    assert why_not_free(utc(2026, 12, 1, 8), busy=[], **inputs) is None
    assert why_not_free(utc(2026, 12, 1, 8), busy=[booked], **inputs) is Refusal.TAKEN
    assert why_not_free(utc(2026, 12, 1, 8, 10), busy=[], **inputs) is Refusal.NOT_OFFERED
    assert why_not_free(utc(2026, 12, 1, 20), busy=[], **inputs) is Refusal.NOT_OFFERED  # 21:00
    assert why_not_free(utc(2026, 12, 5, 8), busy=[], **inputs) is Refusal.NOT_OFFERED  # Saturday


def test_why_not_free_refuses_blocked_days_as_not_offered():
    blocked = dict(rules=WEEKDAYS_9_TO_17, busy=[], limits=HALF_HOUR, zone=ROME, now=LONG_AGO)
    assert why_not_free(utc(2026, 12, 1, 8), blocks=[Block(date(2026, 12, 1))], **blocked) \
        is Refusal.NOT_OFFERED
    assert why_not_free(utc(2026, 12, 1, 11), blocks=[Block(date(2026, 12, 1), time(12), time(13))],
                        **blocked) is Refusal.NOT_OFFERED


def test_why_not_free_agrees_with_free_slots_on_every_start_of_a_day():
    now = utc(2026, 12, 1, 8, 10)
    limits = Limits(duration=timedelta(minutes=30), min_notice=timedelta(hours=2), max_days_ahead=1)
    booked = Busy(utc(2026, 12, 2, 9), utc(2026, 12, 2, 10))
    inputs = dict(rules=WEEKDAYS_9_TO_17, blocks=[], busy=[booked], limits=limits, zone=ROME, now=now)
    offered = {slot.start for slot in free_slots(start=utc(2026, 11, 30), end=utc(2026, 12, 5),
                                                 **inputs)}
    candidates = [utc(2026, 11, 30) + timedelta(minutes=15 * n) for n in range(5 * 96)]
    assert offered and {s for s in candidates if why_not_free(s, **inputs) is None} == offered


@pytest.mark.parametrize(("zone", "first_day"), [(ROME, date(2026, 3, 28)), (ROME, date(2026, 10, 24)),
                                                  (NEW_YORK, date(2026, 3, 7)), (NEW_YORK, date(2026, 10, 31))])
def test_why_not_free_checks_one_start_as_the_days_starts_have_it_across_dst(zone, first_day):
    """Every minute of three days around a DST change (a gap, a fold), two rules on different grids, a partial block."""
    rules = [rule for day in range(7) for rule in (WeeklyRule(day, time(0), time(23, 59), 10),
                                                   WeeklyRule(day, time(1, 5), time(3, 40), 7))]
    blocks = [Block(first_day + ONE_DAY, time(12), time(12, 40))]
    inputs = dict(rules=rules, blocks=blocks, busy=[], limits=HALF_HOUR, zone=zone, now=LONG_AGO)
    start, end = day_range_utc(first_day, first_day + 2 * ONE_DAY, zone)
    offered = {slot.start for slot in free_slots(start=start, end=end, **inputs)}
    candidates = [start + timedelta(minutes=n) for n in range(int((end - start) / timedelta(minutes=1)))]
    assert len(offered) > 400 and {s for s in candidates if why_not_free(s, **inputs) is None} == offered


def test_window_refusals_name_past_notice_and_beyond():
    now = utc(2026, 12, 1, 22, 30)  # 23:30 in Rome
    window = booking_window(Limits(duration=timedelta(minutes=30), min_notice=timedelta(hours=2),
                                   max_days_ahead=2), ROME, now)
    assert window.refusal(now - timedelta(minutes=1)) is Refusal.PAST
    assert window.refusal(now + timedelta(hours=1)) is Refusal.SHORT_NOTICE
    assert window.refusal(now + timedelta(hours=2)) is None
    assert window.last_day == date(2026, 12, 3)  # Rome's today (1st) + 2, inclusive
    assert window.refusal(utc(2026, 12, 3, 22, 59)) is None  # 23:59 on the 3rd in Rome
    assert window.refusal(utc(2026, 12, 3, 23)) is Refusal.BEYOND_WINDOW  # midnight in Rome


def test_window_last_day_is_seen_from_each_viewer_zone():
    now = utc(2026, 1, 29, 22, 59)  # 23:59 on the 29th in Rome: the window ends with 31 January
    window = booking_window(Limits(duration=timedelta(minutes=30), max_days_ahead=2), ROME, now)
    assert window.end == utc(2026, 1, 31, 23)
    assert window.last_day_in(ZoneInfo("America/Los_Angeles")) == date(2026, 1, 31)
    assert window.last_day_in(ZoneInfo("Pacific/Kiritimati")) == date(2026, 2, 1)


def test_window_end_survives_a_midnight_skipped_by_dst():
    havana = ZoneInfo("America/Havana")  # clocks jump from 00:00 to 01:00 on 8 March 2026
    window = booking_window(Limits(duration=timedelta(minutes=30), max_days_ahead=1), havana,
                            utc(2026, 3, 6, 17))
    assert window.last_day == date(2026, 3, 7)
    assert window.end.astimezone(havana).replace(tzinfo=None) == datetime(2026, 3, 8, 1)


def test_overlapping_rules_do_not_offer_a_start_twice():
    rules = [WeeklyRule(1, time(9), time(12), 30), WeeklyRule(1, time(11), time(13), 30)]
    starts = slots_on(date(2026, 12, 1), rules=rules)
    assert len(starts) == len(set(starts)) == 8


def test_zone_names_are_checked_against_the_iana_list():
    assert is_valid_zone("Europe/Rome") and is_valid_zone("America/New_York")
    assert not is_valid_zone("Mars/Olympus") and not is_valid_zone("")


def test_local_time_in_spring_gap_is_rejected():
    with pytest.raises(NonexistentTimeError):
        local_to_utc(datetime(2026, 3, 29, 2, 30), ROME)


def test_ambiguous_local_time_is_resolved_explicitly():
    wall = datetime(2026, 10, 25, 2, 30)
    assert local_to_utc(wall, ROME) == utc(2026, 10, 25, 0, 30)
    assert local_to_utc(wall, ROME, ambiguous="later") == utc(2026, 10, 25, 1, 30)
    with pytest.raises(AmbiguousTimeError):
        local_to_utc(wall, ROME, ambiguous="raise")
