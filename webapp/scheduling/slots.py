"""Free slots from weekly rules, minus blocks, busy time, notice and window."""
from bisect import bisect_left
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate
from zoneinfo import ZoneInfo

from webapp.scheduling.types import Block, Busy, Limits, Slot, WeeklyRule
from webapp.scheduling.zones import NonexistentTimeError, local_to_utc

ONE_DAY = timedelta(days=1)


class _Intervals:
    """Sorted intervals answering "does anything overlap [a, b)?" in O(log n)."""

    def __init__(self, pairs: list[tuple[datetime, datetime]]):
        pairs.sort()
        self.starts = [start for start, _ in pairs]
        self.max_ends = list(accumulate((end for _, end in pairs), max))

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Return True if any interval starts before `end` and ends after `start`."""
        count = bisect_left(self.starts, end)
        return count > 0 and self.max_ends[count - 1] > start


class _BusyIndex:
    """Existing bookings, checked against a candidate with both sides' buffers."""

    def __init__(self, busy: list[Busy]):
        self.meetings = _Intervals([(b.start, b.end) for b in busy])
        self.padded = _Intervals([(b.start - b.buffer_before, b.end + b.buffer_after) for b in busy])

    def conflicts(self, start: datetime, end: datetime, limits: Limits) -> bool:
        """Return True if a meeting [start, end) with `limits` buffers would clash."""
        return self.padded.overlaps(start, end) or self.meetings.overlaps(
            start - limits.buffer_before, end + limits.buffer_after
        )


def _blocked_parts(blocks: list[Block]) -> tuple[set[date], dict[date, list[Block]]]:
    """Split blocks into all-day dates and partial blocks by date."""
    whole: set[date] = set()
    partial: dict[date, list[Block]] = defaultdict(list)
    for block in blocks:
        if block.all_day:
            whole.add(block.day)
        else:
            partial[block.day].append(block)
    return whole, partial


def _day_candidates(day: date, rules: list[WeeklyRule], limits: Limits, zone: ZoneInfo,
                    partial: list[Block]):
    """Yield (start, end) UTC for each rule start on `day` that fits and is not blocked."""
    duration_minutes = limits.duration // timedelta(minutes=1)
    steady_offset = _steady_offset(day, zone)
    for rule in rules:
        first = rule.start.hour * 60 + rule.start.minute
        last = rule.end.hour * 60 + rule.end.minute - duration_minutes
        for minute in range(first, last + 1, rule.step_minutes):
            end_minute = minute + duration_minutes
            if any(_minutes(b.start) < end_minute and _minutes(b.end) > minute for b in partial):
                continue
            wall = datetime(day.year, day.month, day.day, minute // 60, minute % 60)
            if steady_offset is not None:
                start = (wall - steady_offset).replace(tzinfo=timezone.utc)
            else:
                try:
                    start = local_to_utc(wall, zone)
                except NonexistentTimeError:
                    continue
            yield start, start + limits.duration


def _steady_offset(day: date, zone: ZoneInfo) -> timedelta | None:
    """Return the zone's UTC offset on `day`, or None if it changes during the day."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
    offset = midnight.utcoffset()
    return offset if (midnight + ONE_DAY).utcoffset() == offset else None


def _minutes(value) -> int:
    """Return minutes since midnight of a time."""
    return value.hour * 60 + value.minute


def free_slots(*, rules: list[WeeklyRule], blocks: list[Block], busy: list[Busy],
               limits: Limits, zone: ZoneInfo, start: datetime, end: datetime,
               now: datetime) -> list[Slot]:
    """Return the free slots starting in [start, end), sorted, as UTC instants.

    Rules are expanded per local day in the business `zone`, so 09:00 stays 09:00 across
    DST; wall times skipped by DST are not offered, repeated ones use their first instant.
    """
    by_day: dict[int, list[WeeklyRule]] = defaultdict(list)
    for rule in rules:
        by_day[rule.day_of_week].append(rule)
    whole_days, partial = _blocked_parts(blocks)
    index = _BusyIndex(busy)
    earliest = max(start, now + limits.min_notice)
    last_day = now.astimezone(zone).date() + timedelta(days=limits.max_days_ahead)
    day = start.astimezone(zone).date()
    final_day = min(end.astimezone(zone).date(), last_day)
    found: list[Slot] = []
    while day <= final_day:
        day_rules = by_day.get(day.weekday())
        if day_rules and day not in whole_days:
            for slot_start, slot_end in _day_candidates(day, day_rules, limits, zone,
                                                        partial.get(day, ())):
                if earliest <= slot_start < end and not index.conflicts(slot_start, slot_end, limits):
                    found.append(Slot(slot_start, slot_end))
        day += ONE_DAY
    found.sort()
    return _unique(found)


def _unique(slots: list[Slot]) -> list[Slot]:
    """Drop repeated slots (two overlapping rules may offer the same start)."""
    return [slot for i, slot in enumerate(slots) if i == 0 or slot != slots[i - 1]]


def is_free(slot_start: datetime, **engine_inputs) -> bool:
    """Return True if a slot starting at `slot_start` is among the free slots."""
    slot_start = slot_start.astimezone(timezone.utc)
    window_end = slot_start + timedelta(minutes=1)
    slots = free_slots(start=slot_start, end=window_end, **engine_inputs)
    return any(slot.start == slot_start for slot in slots)
