"""The calendar picker's state, parsed from a URL, and what it shows."""
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone

from flask_babel import gettext as _

from webapp.models import Host, ServiceType
from webapp.public.hour_cycle import asked_cycle
from webapp.scheduling import Slot, get_zone, is_valid_zone
from webapp.scheduling.calendar import day_range_utc, group_by_day
from webapp.services.availability import booking_window_for, find_availability
from webapp.services.errors import ValidationFailed
from webapp.services.hosts import host_for_service


class BadPickerInput(ValueError):
    """A picker URL parameter that cannot be understood."""


@dataclass(frozen=True)
class PickerState:
    """Which month, day, zone, duration and host the viewer is looking at."""

    tz: str
    month: date  # first of the month
    day: date | None
    duration: int
    hours: int | None = None  # 12 or 24 when the viewer chose a clock (else their language decides)
    #: the host the client chose (None: anyone, or every host of a collective type)
    host: Host | None = None

    def query(self, **changes) -> dict:
        """Return URL parameters for this state with `changes` applied."""
        state = replace(self, **changes)
        params = {"tz": state.tz, "month": f"{state.month:%Y-%m}", "duration": state.duration}
        if state.day:
            params["day"] = state.day.isoformat()
        if state.hours:
            params["hours"] = state.hours
        if state.host:
            params["host"] = state.host.slug
        return params


def parse_state(args, service: ServiceType, default_tz: str, now: datetime) -> PickerState:
    """Read the picker state from query parameters, refusing what makes no sense."""
    tz = args.get("tz") or default_tz
    if not is_valid_zone(tz):
        raise BadPickerInput(_("Unknown time zone %(zone)s.", zone=repr(tz)))
    try:
        day = date.fromisoformat(args["day"]) if args.get("day") else None
        month = _parse_month(args.get("month")) if args.get("month") else None
        duration = int(args.get("duration") or service.default_duration)
    except ValueError:
        raise BadPickerInput(_("The date in the address is not valid.")) from None
    if duration not in service.durations:
        raise BadPickerInput(_("%(service)s cannot be booked for %(minutes)s minutes.", service=service.name,
                                minutes=duration))
    today = now.astimezone(get_zone(tz)).date()
    month = month or (day or today).replace(day=1)
    if not (today.replace(day=1) - timedelta(days=366) <= month <= today + timedelta(days=3 * 366)):
        raise BadPickerInput(_("That month is out of range."))
    if day and day.replace(day=1) != month:
        day = None
    return PickerState(tz=tz, month=month, day=day, duration=duration, hours=asked_cycle(args.get("hours")),
                       host=_parse_host(args, service))


def _parse_host(args, service: ServiceType) -> Host | None:
    """Return the host named by `host=<slug>` if they give `service` (blank: anyone)."""
    slug = args.get("host")
    if not slug:
        return None
    try:
        return host_for_service(service, slug)
    except ValidationFailed as exc:
        raise BadPickerInput(" ".join(exc.fields.values())) from None


def _parse_month(value: str) -> date:
    """Parse YYYY-MM into the first day of that month."""
    year, _, month = value.partition("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(value)
    return date(int(year), int(month), 1)


@dataclass(frozen=True)
class PickerView:
    """What the picker template draws."""

    open_days: set[date]
    times: list[Slot]
    today: date
    prev_month: date | None
    next_month: date | None


def build_view(service: ServiceType, state: PickerState, now: datetime,
               *, exclude_booking_id: int | None = None) -> PickerView:
    """Compute the month's open days and the chosen day's times for the viewer."""
    zone = get_zone(state.tz)
    next_month = (state.month + timedelta(days=32)).replace(day=1)
    start, end = day_range_utc(state.month, next_month - timedelta(days=1), zone)
    found = find_availability([service], start, end, now, duration=state.duration,
                              exclude_booking_id=exclude_booking_id, host=state.host)
    by_day = found.derived.get_or_compute(("by_day", service.key, state.tz),
                                          lambda: group_by_day(found.slots[service.key], zone))
    today = now.astimezone(zone).date()
    # the same rule the engine and the writes apply: a next month only if it can hold a bookable day
    last_open = booking_window_for(service, now).last_day_in(zone)
    return PickerView(
        open_days=set(by_day),
        times=by_day.get(state.day, []) if state.day else [],
        today=today,
        prev_month=(state.month - timedelta(days=1)).replace(day=1)
        if state.month > today.replace(day=1) else None,
        next_month=next_month if next_month <= last_open else None,
    )


def first_month_with_times(service: ServiceType, state: PickerState, now: datetime, view: PickerView,
                           *, exclude_booking_id: int | None = None, limit: int = 12) -> date | None:
    """Return the first month after `state.month` with a free time (None if none can be booked).

    Asks `build_view` month by month, so the booking rule decides how far it may look.
    """
    month = view.next_month
    for _attempt in range(limit):
        if month is None:
            return None
        later = build_view(service, replace(state, month=month, day=None), now,
                           exclude_booking_id=exclude_booking_id)
        if later.open_days:
            return month
        month = later.next_month
    return None


def parse_start(value: str) -> datetime:
    """Parse the hidden form field carrying a slot's UTC start."""
    start = datetime.fromisoformat(value)
    if start.tzinfo is None:
        raise ValueError("start must carry its offset")
    return start.astimezone(timezone.utc)
