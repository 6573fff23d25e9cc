"""Value types the engine takes and returns."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

ONE_SECOND = timedelta(seconds=1)


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

    def seconds(self) -> "BusySeconds":
        """Return the same busy time in whole seconds, as the engine compares it."""
        return BusySeconds(int(self.start.timestamp()), int(self.end.timestamp()),
                           self.buffer_before // ONE_SECOND, self.buffer_after // ONE_SECOND)


class BusySeconds(NamedTuple):
    """A busy time in whole seconds: start and end since the epoch, buffers as durations.

    What the loader reads straight from SQL (no datetime per row); the engine takes it
    wherever it takes a `Busy`.
    """

    start: int
    end: int
    buffer_before: int = 0
    buffer_after: int = 0

    def seconds(self) -> "BusySeconds":
        """Return itself: already in seconds."""
        return self


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
