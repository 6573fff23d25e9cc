"""Helpers of the calendar sync tests: iCalendar bodies, the public page's free times, sources, records."""
import re
from datetime import datetime, timezone

from tests.integration.calendars.servers import PASSWORD, USER
from webapp.extensions import db
from webapp.models import OutboxMessage, WrittenEvent
from webapp.outbox.kinds import CALENDAR_KINDS, Status
from webapp.outbox.perform import perform
from webapp.services import calendar_sources
from webapp.services.hosts import default_host

NOW = datetime(2026, 11, 25, 8, tzinfo=timezone.utc)  # a Wednesday, 09:00 in Rome
START = datetime(2026, 12, 2, 13, tzinfo=timezone.utc)  # a Wednesday, 14:00 in Rome
#: a Wednesday a week before NOW, booked two days before it
PAST, BOOKED_AT = datetime(2026, 11, 18, 13, tzinfo=timezone.utc), datetime(2026, 11, 16, 8, tzinfo=timezone.utc)
TEAM = "team@group.calendar.google.com"
WORK = "AAMkAGI2-work-calendar/+="  # Graph ids hold '/', '+' and '='

#: Mondays 10:00-11:00 in Rome from 30 November, four times; 7 December cancelled (EXDATE) and
#: 14 December moved to 15:00-16:00 (RECURRENCE-ID)
WEEKLY_WITH_EXCEPTIONS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//tests//EN
BEGIN:VTIMEZONE
TZID:Europe/Rome
BEGIN:STANDARD
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:dentist-weekly
DTSTAMP:20261101T000000Z
DTSTART;TZID=Europe/Rome:20261130T100000
DTEND;TZID=Europe/Rome:20261130T110000
RRULE:FREQ=WEEKLY;COUNT=4
EXDATE;TZID=Europe/Rome:20261207T100000
SUMMARY:Dentist
END:VEVENT
BEGIN:VEVENT
UID:dentist-weekly
DTSTAMP:20261101T000000Z
RECURRENCE-ID;TZID=Europe/Rome:20261214T100000
DTSTART;TZID=Europe/Rome:20261214T150000
DTEND;TZID=Europe/Rome:20261214T160000
SUMMARY:Dentist (moved)
END:VEVENT
END:VCALENDAR
"""


def one_event(uid: str, start: str, end: str, *extra: str) -> str:
    """Return a VCALENDAR with one UTC-timed event (`start`/`end` like 20261202T090000Z) or all-day one."""
    value = ";VALUE=DATE" if len(start) == 8 else ""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//EN", "BEGIN:VEVENT", f"UID:{uid}",
             "DTSTAMP:20261101T000000Z", f"DTSTART{value}:{start}", f"DTEND{value}:{end}", "SUMMARY:Busy",
             *extra, "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"


def free_times(client, day: str, service: str = "consultation") -> list[str]:
    """Return the free times (HH:MM, Rome) the public calendar offers on `day`."""
    page = client.get(f"/book/{service}?tz=Europe/Rome&day={day}")
    assert page.status_code == 200
    return re.findall(r'class="time" href="[^"]+"[^>]*>\s*(\d\d:\d\d)\s*<', page.text)


def caldav_source(url: str, **changes):
    """Add the default host's CalDAV source on the test server (calendar "Work")."""
    fields = dict(host_id=default_host().id, kind="caldav", name="Work", url=url, username=USER,
                  password=PASSWORD, calendars=["Work"])
    return calendar_sources.create_source(**{**fields, **changes})


def feed_source(url: str, **changes):
    """Add the default host's .ics feed source."""
    fields = dict(host_id=default_host().id, kind="ics", name="Family", url=url)
    return calendar_sources.create_source(**{**fields, **changes})


def run_calendar_rows(now: datetime = NOW) -> dict[str, str]:
    """Perform every waiting calendar row; return kind -> outcome of each."""
    rows = list(db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.kind.in_(CALENDAR_KINDS), OutboxMessage.status == Status.PENDING).order_by(OutboxMessage.id)))
    kinds = [(row.id, row.kind) for row in rows]
    db.session.rollback()
    return {kind: perform(row_id, now) for row_id, kind in kinds}


def account_source(kind: str, calendars: list[str], write_calendar: str):
    """Add the default host's Google or Microsoft source, writing bookings into `write_calendar`."""
    return calendar_sources.create_source(host_id=default_host().id, kind=kind, name=kind, url="",
                                          calendars=calendars, write_calendar=write_calendar)


def written(booking_id: int) -> WrittenEvent | None:
    """Return the recorded event of the booking, read fresh."""
    db.session.rollback()
    return db.session.scalar(db.select(WrittenEvent).where(WrittenEvent.booking_id == booking_id))
