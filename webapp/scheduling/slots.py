"""Free slots from weekly rules, minus blocks, busy time, and the booking window.

Inside, instants are whole seconds since the epoch: the month's hot loop then compares
integers instead of aware datetimes.
"""
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate
from zoneinfo import ZoneInfo

from webapp.scheduling.rule import BookingWindow, Refusal, booking_window
from webapp.scheduling.types import Block, Busy, BusySeconds, Limits, Slot, WeeklyRule
from webapp.scheduling.zones import NonexistentTimeError, local_to_utc

ONE_DAY = timedelta(days=1)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _seconds(instant: datetime) -> int:
    """Return an aware instant as whole seconds since the epoch."""
    return int(instant.timestamp())


def _instant(seconds: int) -> datetime:
    """Return seconds since the epoch as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, timezone.utc)


class _Intervals:
    """Sorted intervals answering "does anything overlap [a, b)?" in O(log n)."""

    def __init__(self, pairs: list[tuple[int, int]]):
        pairs.sort()
        self.starts = [start for start, _ in pairs]
        self.max_ends = list(accumulate((end for _, end in pairs), max))

    def overlaps(self, start: int, end: int) -> bool:
        """Return True if any interval starts before `end` and ends after `start`."""
        count = bisect_left(self.starts, end)
        return count > 0 and self.max_ends[count - 1] > start


class _BusyIndex:
    """Existing bookings, checked against a candidate with both sides' buffers."""

    def __init__(self, busy: list[Busy | BusySeconds], limits: Limits):
        seconds = [item if type(item) is BusySeconds else item.seconds() for item in busy]
        self.meetings = _Intervals([(start, end) for start, end, _before, _after in seconds])
        self.padded = _Intervals([(start - before, end + after) for start, end, before, after in seconds])
        self.before = int(limits.buffer_before.total_seconds())
        self.after = int(limits.buffer_after.total_seconds())

    def conflicts(self, start: int, end: int) -> bool:
        """Return True if a meeting [start, end) would clash with a booking or its buffers."""
        return self.padded.overlaps(start, end) or self.meetings.overlaps(
            start - self.before, end + self.after)


def _blocked_parts(blocks: list[Block]) -> tuple[set[date], dict[date, list[tuple[int, int]]]]:
    """Split blocks into all-day dates and partial (start, end) minutes by date."""
    whole: set[date] = set()
    partial: dict[date, list[tuple[int, int]]] = defaultdict(list)
    for block in blocks:
        if block.all_day:
            whole.add(block.day)
        else:
            partial[block.day].append((_minutes(block.start), _minutes(block.end)))
    return whole, partial


def _minutes(value) -> int:
    """Return minutes since midnight of a time."""
    return value.hour * 60 + value.minute


def _steady_offset(day: date, zone: ZoneInfo) -> int | None:
    """Return the zone's UTC offset in seconds on `day`, or None if it changes that day."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
    offset = midnight.utcoffset()
    return int(offset.total_seconds()) if (midnight + ONE_DAY).utcoffset() == offset else None


def _day_starts(day: date, rules: list[WeeklyRule], duration_minutes: int, zone: ZoneInfo,
                partial: list[tuple[int, int]]):
    """Yield the UTC second of each rule start on `day` that fits and is not blocked."""
    offset = _steady_offset(day, zone)
    base = _seconds(datetime(day.year, day.month, day.day, tzinfo=timezone.utc))
    for rule in rules:
        last = _minutes(rule.end) - duration_minutes
        for minute in range(_minutes(rule.start), last + 1, rule.step_minutes):
            if partial and any(b_start < minute + duration_minutes and b_end > minute
                               for b_start, b_end in partial):
                continue
            if offset is not None:
                yield base + minute * 60 - offset
                continue
            wall = datetime(day.year, day.month, day.day, minute // 60, minute % 60)
            try:
                yield _seconds(local_to_utc(wall, zone))
            except NonexistentTimeError:
                continue


def _offers(start: int, local: datetime, rules: list[WeeklyRule], duration_minutes: int, zone: ZoneInfo,
            partial: list[tuple[int, int]] | None) -> bool:
    """Tell whether `rules` offer the start at UTC second `start` (`local` in the business zone):
    `start in _day_starts(...)` for that day, without making the day's starts. Only its wall
    minute can give it: on a rule's grid, fitting, not blocked, and mapping back to `start`
    (in a DST fold, the one instant `local_to_utc` gives)."""
    minute = local.hour * 60 + local.minute
    if local.second or not any(_minutes(rule.start) <= minute <= _minutes(rule.end) - duration_minutes
                               and (minute - _minutes(rule.start)) % rule.step_minutes == 0 for rule in rules):
        return False
    if partial and any(b_start < minute + duration_minutes and b_end > minute for b_start, b_end in partial):
        return False
    day = local.date()
    wall = datetime(day.year, day.month, day.day, minute // 60, minute % 60)
    try:
        return _seconds(local_to_utc(wall, zone)) == start
    except NonexistentTimeError:
        return False


def _schedule_starts(day: date, by_day: dict[int, list[WeeklyRule]], whole_days: set[date],
                     partial: dict[date, list[tuple[int, int]]], duration_minutes: int,
                     zone: ZoneInfo) -> Iterable[int]:
    """Return the UTC seconds of the starts the rules offer on business-zone `day`."""
    day_rules = by_day.get(day.weekday())
    if not day_rules or day in whole_days:
        return ()
    # the generator itself, not a wrapper around it: this runs in the month's hot loop
    return _day_starts(day, day_rules, duration_minutes, zone, partial.get(day))


def _rules_by_weekday(rules: list[WeeklyRule]) -> dict[int, list[WeeklyRule]]:
    """Group weekly rules by their day of the week."""
    by_day: dict[int, list[WeeklyRule]] = defaultdict(list)
    for rule in rules:
        by_day[rule.day_of_week].append(rule)
    return by_day


def free_starts(*, rules: list[WeeklyRule], blocks: list[Block], busy: list[Busy],
                limits: Limits, zone: ZoneInfo, window: BookingWindow, start: datetime,
                end: datetime, skip: set[int] | frozenset[int] = frozenset(),
                within: set[int] | None = None) -> set[int]:
    """Return the free starts in [start, end) inside `window`, as UTC seconds since the epoch.

    Rules and blocks are expanded per local day in `zone` (the host's), so 09:00 stays 09:00
    across DST; wall times skipped by DST are not offered, repeated ones use their first
    instant. Integers, so callers combining several hosts take unions and intersections cheaply;
    they may pass starts to `skip` (known free already) or keep only those `within` a set.
    """
    by_day = _rules_by_weekday(rules)
    whole_days, partial = _blocked_parts(blocks)
    index = _BusyIndex(busy, limits)
    duration_minutes = limits.duration // timedelta(minutes=1)
    length = duration_minutes * 60
    earliest = _seconds(max(start, window.earliest))
    stop = _seconds(min(end, window.end))
    if stop <= earliest:
        return set()
    day = start.astimezone(zone).date()
    final_day = _instant(stop - 1).astimezone(zone).date()
    found: set[int] = set()
    while day <= final_day:
        for slot_start in _schedule_starts(day, by_day, whole_days, partial, duration_minutes, zone):
            if (earliest <= slot_start < stop and slot_start not in skip
                    and (within is None or slot_start in within)
                    and not index.conflicts(slot_start, slot_start + length)):
                found.add(slot_start)
        day += ONE_DAY
    return found


def slots_from_starts(starts: Iterable[int], limits: Limits) -> list[Slot]:
    """Return sorted Slots of `limits.duration` for starts in UTC seconds."""
    length = limits.duration // timedelta(seconds=1)
    return [Slot(_instant(s), _instant(s + length)) for s in sorted(starts)]


def free_slots(*, rules: list[WeeklyRule], blocks: list[Block], busy: list[Busy],
               limits: Limits, zone: ZoneInfo, start: datetime, end: datetime,
               now: datetime, window_zone: ZoneInfo | None = None) -> list[Slot]:
    """Return the free slots starting in [start, end), sorted, as UTC instants.

    Rules and blocks are in `zone`; the booking window (see `rule.py`) is the business
    zone's, `window_zone`, which is `zone` itself unless given.
    """
    window = booking_window(limits, window_zone or zone, now)
    return slots_from_starts(free_starts(rules=rules, blocks=blocks, busy=busy, limits=limits,
                                         zone=zone, window=window, start=start, end=end), limits)


def why_not_free(slot_start: datetime, *, rules: list[WeeklyRule], blocks: list[Block],
                 busy: list[Busy], limits: Limits, zone: ZoneInfo, now: datetime,
                 window_zone: ZoneInfo | None = None) -> Refusal | None:
    """Return why a slot starting at `slot_start` cannot be booked, or None if it is free.

    The same answer `free_slots` gives, with the reason: outside the booking window (of
    `window_zone`, default `zone`), never on the schedule, or on it but clashing with a booking.
    """
    refusal = booking_window(limits, window_zone or zone, now).refusal(slot_start)
    if refusal is not None:
        return refusal
    start = _seconds(slot_start)
    duration_minutes = limits.duration // timedelta(minutes=1)
    whole_days, partial = _blocked_parts(blocks)
    local = slot_start.astimezone(zone)
    day_rules = _rules_by_weekday(rules).get(local.weekday())
    if slot_start.microsecond or not day_rules or local.date() in whole_days \
            or not _offers(start, local, day_rules, duration_minutes, zone, partial.get(local.date())):
        return Refusal.NOT_OFFERED
    if _BusyIndex(busy, limits).conflicts(start, start + duration_minutes * 60):
        return Refusal.TAKEN
    return None

