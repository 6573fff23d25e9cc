"""Presenting slots to a viewer: local days, month grids, day ranges."""
import calendar
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from webapp.scheduling.types import Slot
from webapp.scheduling.zones import local_to_utc


def group_by_day(slots: list[Slot], zone: ZoneInfo) -> dict[date, list[Slot]]:
    """Group slots by their start's local date in the viewer's `zone`."""
    days: dict[date, list[Slot]] = defaultdict(list)
    for slot in slots:
        days[slot.start.astimezone(zone).date()].append(slot)
    return dict(days)


def day_range_utc(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Return the UTC instants bounding local days first..last (inclusive) in `zone`."""
    start = local_to_utc(_midnight(first), zone, ambiguous="earlier")
    end = local_to_utc(_midnight(last + timedelta(days=1)), zone, ambiguous="earlier")
    return start, end


def _midnight(day: date) -> datetime:
    """Return the naive midnight starting `day` (a zone never skips it in practice)."""
    return datetime(day.year, day.month, day.day)


def month_weeks(year: int, month: int, first_weekday: int = 0) -> list[list[date | None]]:
    """Return the month as weeks starting on `first_weekday` (0 = Monday), None for days of other months."""
    weeks = calendar.Calendar(firstweekday=first_weekday).monthdatescalendar(year, month)
    return [[day if day.month == month else None for day in week] for week in weeks]
