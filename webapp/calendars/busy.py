"""Busy intervals from iCalendar text: recurrences expanded, free and own events left out."""
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar

#: the X- property our own events carry (bookings written out), so they never block themselves
OWN_EVENT_PROPERTY = "X-STUDIOCENTOS-BOOKING"
#: the UID prefix of our own events
OWN_UID_PREFIX = "studiocentos-booking-"
#: the UID of the invites our emails carry: `ref-<32 hex>@<domain>` (webapp.mail.ics.event_uid)
INVITE_UID = re.compile(r"ref-[0-9a-f]{32}@(?P<domain>[^@\s]+)", re.IGNORECASE)


class CalendarDataError(ValueError):
    """The text is not iCalendar data the reader understands."""


@dataclass(frozen=True)
class BusyOptions:
    """What counts as busy, as the admin chose per source, and which events are ours."""

    #: all-day events block the day (in the host's zone)
    all_day_blocks: bool = True
    #: STATUS:TENTATIVE events count as busy
    tentative_busy: bool = True
    #: the domain of our invites' UIDs: an accepted invite of one of our bookings is ours (one
    #: with another domain is a real appointment, e.g. at another installation)
    invite_domain: str | None = None
    #: UIDs our events written into Google or Microsoft calendars show in their iCalendar exports
    own_uids: frozenset[str] = field(default_factory=frozenset)


def busy_intervals(texts: Iterable[str | bytes], start: datetime, end: datetime, zone: ZoneInfo,
                   options: BusyOptions = BusyOptions()) -> list[tuple[datetime, datetime]]:
    """Return the UTC intervals overlapping [start, end) during which the calendars' events make one busy.

    `zone` places floating times and all-day dates (the host's zone). The intervals are
    sorted and merged where they overlap or touch.
    """
    found = []
    for text in texts:
        found.extend(_intervals(text, start, end, zone, options))
    return merged(found)


def _intervals(text: str | bytes, start: datetime, end: datetime, zone: ZoneInfo,
               options: BusyOptions) -> list[tuple[datetime, datetime]]:
    """Return the busy intervals of one VCALENDAR."""
    try:
        calendar = Calendar.from_ical(text)
        events = recurring_ical_events.of(calendar, components=["VEVENT"]).between(start, end)
    except Exception as exc:  # the libraries raise many types for bad data; the source's status says so
        raise CalendarDataError(f"unreadable calendar data ({type(exc).__name__})") from exc
    intervals = []
    for event in events:
        if not _counts(event, options):
            continue
        interval = _interval(event, zone)
        if interval is not None and interval[0] < end and interval[1] > start:
            intervals.append(interval)
    return intervals


def _counts(event, options: BusyOptions) -> bool:
    """Whether an event makes one busy: not free, not cancelled, not ours; tentative as chosen."""
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return False
    status = str(event.get("STATUS", "CONFIRMED")).upper()
    if status == "CANCELLED" or (status == "TENTATIVE" and not options.tentative_busy):
        return False
    if is_own_event(event, options):
        return False
    return options.all_day_blocks or not _is_all_day(event)


def is_own_event(event, options: BusyOptions = BusyOptions()) -> bool:
    """Whether the event is one of our bookings: written out (X- property, UID) or an accepted invite."""
    uid = str(event.get("UID", ""))
    if OWN_EVENT_PROPERTY in event or uid.startswith(OWN_UID_PREFIX) or uid in options.own_uids:
        return True
    invite = INVITE_UID.fullmatch(uid)
    return bool(invite and options.invite_domain and invite["domain"].lower() == options.invite_domain.lower())


def _is_all_day(event) -> bool:
    """Whether the event starts on a date rather than at a time."""
    start = event.get("DTSTART")
    return start is not None and not isinstance(start.dt, datetime)


def _interval(event, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    """Return the event's [start, end) in UTC; dates are whole days in `zone`."""
    if event.get("DTSTART") is None:
        return None
    start = _instant(event["DTSTART"].dt, zone)
    if event.get("DTEND") is not None:
        end = _instant(event["DTEND"].dt, zone)
    elif event.get("DURATION") is not None:
        end = start + event["DURATION"].dt
    else:  # RFC 5545: a date lasts one day, a time takes no time
        end = _instant(event["DTSTART"].dt + timedelta(days=1), zone) if _is_all_day(event) else start
    return (start, end) if end > start else None


def _instant(value: date | datetime, zone: ZoneInfo) -> datetime:
    """Return a DTSTART/DTEND value as a UTC instant (floating times and dates in `zone`)."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0))
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(timezone.utc)


def merged(intervals: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Return the intervals sorted, overlapping or touching ones joined."""
    joined: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def without(intervals: list[tuple[datetime, datetime]],
            cut: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Return the merged `intervals` with the merged `cut` intervals taken out of them."""
    left = []
    for start, end in intervals:
        for cut_start, cut_end in cut:
            if cut_end <= start or cut_start >= end:
                continue
            if cut_start > start:
                left.append((start, cut_start))
            start = max(start, cut_end)
            if start >= end:
                break
        if start < end:
            left.append((start, end))
    return left
