"""Value types the engine takes and returns."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True, slots=True)
class WeeklyRule:
    """A weekly window in the business zone, cut into starts every `step_minutes`."""

    day_of_week: int  # 0 = Monday
    start: time
    end: time
    step_minutes: int


@dataclass(frozen=True, slots=True)
class Block:
    """A blocked business-zone day; with start/end only that part of the day."""

    day: date
    start: time | None = None
    end: time | None = None

    @property
    def all_day(self) -> bool:
        """Return True when the whole day is blocked."""
        return self.start is None or self.end is None


@dataclass(frozen=True, slots=True)
class Busy:
    """An existing booking: its meeting and the buffers it keeps around it."""

    start: datetime
    end: datetime
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)


@dataclass(frozen=True, slots=True)
class Limits:
    """What a service type asks of a slot: length, buffers, notice and window."""

    duration: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    min_notice: timedelta = timedelta(0)
    max_days_ahead: int = 60


@dataclass(frozen=True, slots=True, order=True)
class Slot:
    """A free time, as aware UTC instants."""

    start: datetime
    end: datetime
