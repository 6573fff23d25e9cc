"""The booking rule: when a service can be booked, from its limits, the business zone and now.

Every place that asks "how soon" or "how far ahead" (the engine, the picker, the API and the
booking writes) asks a `BookingWindow`, so they cannot disagree near midnight.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from zoneinfo import ZoneInfo

from webapp.scheduling.types import Limits


class Refusal(Enum):
    """Why a start cannot be booked; callers turn the code into their own message."""

    #: the start is before now
    PAST = "past"
    #: the start is after now but sooner than the service's minimum notice
    SHORT_NOTICE = "short_notice"
    #: the start falls on a business-zone day after the window's last day
    BEYOND_WINDOW = "beyond_window"
    #: inside the window, but the schedule never offers it (off the rule's steps, closed, blocked)
    NOT_OFFERED = "not_offered"
    #: on the schedule, but it clashes with an existing booking or its buffers
    TAKEN = "taken"


@dataclass(frozen=True, slots=True)
class BookingWindow:
    """The instants a service can be booked at, seen from `now`."""

    now: datetime
    #: the first bookable instant: now plus the minimum notice
    earliest: datetime
    #: the last bookable business-zone day, inclusive: business-zone today + max_days_ahead
    last_day: date
    zone: ZoneInfo

    @property
    def end(self) -> datetime:
        """Return the first instant after the window (the start of the day after `last_day`)."""
        after = self.last_day + timedelta(days=1)
        # fold=0 puts a midnight skipped by DST at the transition itself: still that day's start
        midnight = datetime(after.year, after.month, after.day, tzinfo=self.zone)
        return midnight.astimezone(timezone.utc)

    def refusal(self, start: datetime) -> Refusal | None:
        """Return why the window refuses an aware `start`, or None if it lies inside."""
        if start < self.now:
            return Refusal.PAST
        if start < self.earliest:
            return Refusal.SHORT_NOTICE
        if start.astimezone(self.zone).date() > self.last_day:
            return Refusal.BEYOND_WINDOW
        return None

    def last_day_in(self, viewer: ZoneInfo) -> date:
        """Return the viewer's last local day that holds a bookable instant."""
        return (self.end - timedelta(microseconds=1)).astimezone(viewer).date()


def booking_window(limits: Limits, zone: ZoneInfo, now: datetime) -> BookingWindow:
    """Return the window a service with `limits` offers at `now`, the business zone being `zone`."""
    return BookingWindow(
        now=now,
        earliest=now + limits.min_notice,
        last_day=now.astimezone(zone).date() + timedelta(days=limits.max_days_ahead),
        zone=zone,
    )
