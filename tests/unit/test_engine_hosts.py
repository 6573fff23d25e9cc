"""Several hosts combined: any host free (union) or every host free (intersection)."""
from datetime import datetime, time, timedelta, timezone

import pytest

from bench.engine import DENSE_RULES
from bench.hosts import host_calendars
from webapp.scheduling import (
    Combine,
    HostCalendar,
    Limits,
    Refusal,
    WeeklyRule,
    combine_starts,
    combined_free_slots,
    combined_refusal,
    get_zone,
    refusals_by_host,
    starts_by_host,
)

ROME, LONDON = get_zone("Europe/Rome"), get_zone("Europe/London")
NOW = datetime(2026, 11, 30, 0, tzinfo=timezone.utc)
MONDAY = datetime(2026, 12, 7, tzinfo=timezone.utc)
HALF_HOUR = Limits(duration=timedelta(minutes=30))
MORNINGS = [WeeklyRule(day, time(9), time(12), 30) for day in range(5)]


def starts(calendars, combine):
    """Return the combined free starts on MONDAY."""
    return [slot.start for slot in combined_free_slots(
        calendars, combine=combine, limits=HALF_HOUR, business_zone=ROME, start=MONDAY,
        end=MONDAY + timedelta(days=1), now=NOW)]


def test_union_and_intersection_of_hosts_in_different_zones():
    rome, london = HostCalendar(1, ROME, MORNINGS), HostCalendar(2, LONDON, MORNINGS)
    anyone, everyone = starts([rome, london], Combine.ANY), starts([rome, london], Combine.ALL)
    assert anyone[0] == MONDAY + timedelta(hours=8) and anyone[-1] == MONDAY + timedelta(hours=11, minutes=30)
    assert len(anyone) == 8  # 08:00-11:30 UTC
    assert everyone == [MONDAY + timedelta(hours=9, minutes=m) for m in (0, 30, 60, 90)]  # overlap 09-11 UTC


def test_no_host_offers_nothing():
    assert starts([], Combine.ANY) == starts([], Combine.ALL) == []


@pytest.mark.parametrize("combine", list(Combine))
def test_the_fast_combination_equals_combining_each_hosts_starts(combine):
    calendars, inputs = host_calendars(DENSE_RULES)
    shared = dict(limits=inputs["limits"], business_zone=inputs["zone"], start=inputs["start"],
                  end=inputs["end"], now=inputs["now"])
    expected = combine_starts(starts_by_host(calendars, **shared), combine)
    fast = combined_free_slots(calendars, combine=combine, **shared)
    assert {int(slot.start.timestamp()) for slot in fast} == expected


def test_refusals_name_each_host_and_combine_with_taken_first():
    free, closed = HostCalendar(1, ROME, MORNINGS), HostCalendar(2, ROME, [])
    refusals = refusals_by_host(MONDAY + timedelta(hours=8), [free, closed], limits=HALF_HOUR,
                                business_zone=ROME, now=NOW)
    assert refusals == {1: None, 2: Refusal.NOT_OFFERED}
    assert combined_refusal(refusals, Combine.ANY) is None
    assert combined_refusal(refusals, Combine.ALL) is Refusal.NOT_OFFERED
    assert combined_refusal({1: Refusal.NOT_OFFERED, 2: Refusal.TAKEN}, Combine.ANY) is Refusal.TAKEN
