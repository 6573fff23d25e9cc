"""Laying bookings and blocked time out on a week grid of 15-minute rows, in one zone."""
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from webapp.scheduling.calendar import month_weeks

#: the hours a week shows even when nothing happens outside them
DEFAULT_HOURS = (7, 20)


@dataclass(frozen=True)
class Item:
    """Something drawn on the grid: a booking (with its id) or blocked time."""

    kind: str  # "booking" or "block"
    label: str
    detail: str
    column: int  # 1..7, Monday first
    row: int  # 1-based row of its first quarter hour on the grid
    span: int  # quarter hours
    booking_id: int | None = None
    status: str = ""
    lane: int = 1  # 1-based side-by-side lane within its day, for overlapping items
    width: int = 1  # lanes it fills (to the right, while they are free for its whole time)


@dataclass(frozen=True)
class WeekGrid:
    """A week of days, the hours shown and what falls where."""

    days: list[date]
    hours: list[int]
    items: list[Item]
    all_day_blocks: dict[date, list[str]]
    lanes: dict[int, int] = field(default_factory=dict)  # column -> lanes its day needs

    def column_items(self, column: int) -> list[Item]:
        """Return the items drawn in one day's column, earliest first."""
        return [item for item in self.items if item.column == column]


@dataclass(frozen=True)
class MonthDay:
    """One day of the month overview."""

    day: date
    bookings: list = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


def week_start(day: date) -> date:
    """Return the Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def _local_pieces(start: datetime, end: datetime, zone: ZoneInfo):
    """Yield (day, first minute, last minute) pieces of an instant range cut at local midnights."""
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    day = local_start.date()
    while day <= local_end.date():
        first = local_start if day == local_start.date() else datetime.combine(day, time(0), zone)
        last_minute = (local_end.hour * 60 + local_end.minute) if day == local_end.date() else 24 * 60
        first_minute = first.hour * 60 + first.minute
        if last_minute > first_minute:
            yield day, first_minute, last_minute
        day += timedelta(days=1)


def build_week(monday: date, bookings, blocks, zone: ZoneInfo) -> WeekGrid:
    """Place the week's bookings and partial blocks on the grid; all-day blocks go on top."""
    days = [monday + timedelta(days=i) for i in range(7)]
    pieces = []  # (kind, label, detail, day, first minute, last minute, booking)
    for booking in bookings:
        for day, first, last in _local_pieces(booking.scheduled_at, booking.ends_at, zone):
            detail = f"{booking.scheduled_at.astimezone(zone):%H:%M} {booking.title}"
            pieces.append(("booking", booking.client_name, detail, day, first, last, booking))
    all_day: dict[date, list[str]] = {}
    for block in blocks:
        if block.all_day:
            all_day.setdefault(block.blocked_date, []).append(block.reason)
        else:
            first = block.start_time.hour * 60 + block.start_time.minute
            last = block.end_time.hour * 60 + block.end_time.minute
            pieces.append(("block", block.reason, "Blocked", block.blocked_date, first, last, None))
    pieces = [p for p in pieces if monday <= p[3] < monday + timedelta(days=7)]
    low = min([DEFAULT_HOURS[0] * 60, *(p[4] for p in pieces)]) // 60
    high = -(-max([DEFAULT_HOURS[1] * 60, *(p[5] for p in pieces)]) // 60)
    items = [Item(kind, label, detail, (day - monday).days + 1, (first - low * 60) // 15 + 1,
                  max(1, -(-(last - first) // 15)), booking.id if booking else None,
                  booking.status if booking else "")
             for kind, label, detail, day, first, last, booking in sorted(pieces, key=lambda p: (p[3], p[4], -p[5]))]
    items = side_by_side(items)
    lanes: dict[int, int] = {}
    for item in items:
        lanes[item.column] = max(lanes.get(item.column, 1), item.lane + item.width - 1)
    return WeekGrid(days, list(range(low, high)), items, all_day, lanes)


def _overlap(one: Item, other: Item) -> bool:
    """Say whether two items share a day and some quarter hour."""
    return one.column == other.column and one.row < other.row + other.span and other.row < one.row + one.span


def side_by_side(items: list[Item]) -> list[Item]:
    """Give overlapping items separate lanes (first free lane, in start order) and widen each
    into the lanes to its right that nothing overlapping it uses, so nothing is drawn on top.
    """
    placed: list[Item] = []
    for item in items:
        taken = {other.lane for other in placed if _overlap(item, other)}
        placed.append(replace(item, lane=next(lane for lane in range(1, len(taken) + 2) if lane not in taken)))
    day_lanes: dict[int, int] = {}
    for item in placed:
        day_lanes[item.column] = max(day_lanes.get(item.column, 1), item.lane)
    widened = []
    for item in placed:
        blocking = [other.lane for other in placed if other is not item and _overlap(item, other)
                    and other.lane > item.lane]
        widened.append(replace(item, width=min(blocking, default=day_lanes[item.column] + 1) - item.lane))
    return widened


def build_month(year: int, month: int, bookings, blocks, zone: ZoneInfo) -> list[list[MonthDay | None]]:
    """Return the month as Monday-first weeks of days with their bookings and block reasons."""
    by_day: dict[date, MonthDay] = {}
    for week in month_weeks(year, month):
        for day in week:
            if day is not None:
                by_day[day] = MonthDay(day, [], [])
    for booking in bookings:
        local_day = booking.scheduled_at.astimezone(zone).date()
        if local_day in by_day:
            by_day[local_day].bookings.append(booking)
    for block in blocks:
        if block.blocked_date in by_day:
            times = "" if block.all_day else f" {block.start_time:%H:%M}-{block.end_time:%H:%M}"
            by_day[block.blocked_date].blocked.append(block.reason + times)
    return [[by_day.get(day) if day else None for day in week] for week in month_weeks(year, month)]


@dataclass(frozen=True)
class DayGrid:
    """One day, hour by hour, with a column per host: what each host has in each hour."""

    day: date
    hosts: list
    hours: list[int]
    #: (host id, hour) -> the bookings starting then and the blocked time touching that hour
    cells: dict[tuple[int, int], list[Item]]
    #: host id -> the reasons the host is blocked all day
    all_day_blocks: dict[int, list[str]]


def build_day(day: date, hosts, bookings, blocks, zone: ZoneInfo, default_host_id: int | None) -> DayGrid:
    """Lay a day out with one column per host; a booking shows in each host's column it holds.

    Rows without a host (stored before hosts, or blocks inserted in plain SQL) are the default host's.
    """
    cells: dict[tuple[int, int], list[Item]] = {}
    all_day: dict[int, list[str]] = {}
    hours_used = []
    for booking in bookings:
        local = booking.scheduled_at.astimezone(zone)
        if local.date() != day:
            continue
        hours_used.append(local.hour)
        item = Item("booking", booking.client_name, f"{local:%H:%M}–{booking.ends_at.astimezone(zone):%H:%M} "
                    f"{booking.title}", 1, 1, 1, booking.id, booking.status)
        for host_id in [h.id for h in booking.hosts] or [default_host_id]:
            cells.setdefault((host_id, local.hour), []).append(item)
    for block in blocks:
        host_id = block.host_id or default_host_id
        if block.blocked_date != day:
            continue
        if block.all_day:
            all_day.setdefault(host_id, []).append(block.reason)
            continue
        for hour in range(block.start_time.hour, block.end_time.hour + (1 if block.end_time.minute else 0)):
            hours_used.append(hour)
            cells.setdefault((host_id, hour), []).append(Item(
                "block", block.reason, f"{block.start_time:%H:%M}–{block.end_time:%H:%M}", 1, 1, 1))
    low = min([DEFAULT_HOURS[0], *hours_used])
    high = max([DEFAULT_HOURS[1] - 1, *hours_used])
    return DayGrid(day, list(hosts), list(range(low, high + 1)), cells, all_day)
