"""Bookings written into the host's CalDAV calendar (Radicale): created, moved, removed; never busy to themselves."""
from datetime import datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from tests.factories import book
from tests.integration.admin.conftest import log_in
from tests.integration.calendars.support import NOW, caldav_source, free_times, run_calendar_rows
from webapp.extensions import db
from webapp.models import ExternalBusy, OutboxMessage
from webapp.outbox.kinds import Kind, Status
from webapp.services.admin_accounts import create_admin
from webapp.services.bookings import cancel_booking, reschedule_booking
from webapp.services.calendar_sync import refresh_source

START = datetime(2026, 12, 2, 13, tzinfo=timezone.utc)  # 14:00 in Rome


@pytest.fixture
def app_config():
    """Freeze the clock so the calendar is predictable."""
    return {"CLOCK": lambda: NOW}


def events_in(calendar) -> list[tuple[datetime, datetime, str]]:
    """Return (start, end, summary) of every event in the Radicale calendar."""
    found = []
    for resource in calendar.events():
        for event in Calendar.from_ical(resource.data).walk("VEVENT"):
            found.append((event["DTSTART"].dt, event["DTEND"].dt, str(event["SUMMARY"])))
    return found


def test_a_booking_appears_moves_and_disappears_in_the_chosen_calendar(client, caldav_calendar, radicale):
    source = caldav_source(radicale, write_calendar="Work")
    created = book(START, NOW, client_name="Ada Lovelace")
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_PUT] == Status.SENT
    assert events_in(caldav_calendar) == [(START, START + timedelta(minutes=30), "Consultation: Ada Lovelace")]

    # our own event never blocks the booking's own time, nor a move next to it
    assert refresh_source(source.id, NOW)
    assert db.session.scalar(db.select(db.func.count()).select_from(ExternalBusy)) == 0
    moved = START + timedelta(minutes=30)
    reschedule_booking(created.booking.id, moved, NOW)
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_PUT] == Status.SENT
    assert events_in(caldav_calendar) == [(moved, moved + timedelta(minutes=30), "Consultation: Ada Lovelace")]
    assert "14:00" in free_times(client, "2026-12-02") and "14:30" not in free_times(client, "2026-12-02")

    cancel_booking(created.booking.id, "plans changed", NOW)
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_DELETE] == Status.SENT
    assert events_in(caldav_calendar) == []


def test_each_change_is_written_once(app, caldav_calendar, radicale):
    caldav_source(radicale, write_calendar="Work")
    created = book(START, NOW)
    reschedule_booking(created.booking.id, START + timedelta(hours=1), NOW)
    puts = list(db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == Kind.CALENDAR_EVENT_PUT)))
    assert len(puts) == 2 and len({row.key for row in puts}) == 2
    outcomes = run_calendar_rows()
    # the first version's write lapses: only the newest time is ever in the calendar
    assert outcomes[Kind.CALENDAR_EVENT_PUT] == Status.SENT
    assert [row.status for row in db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.kind == Kind.CALENDAR_EVENT_PUT).order_by(OutboxMessage.id))] == [Status.SKIPPED, Status.SENT]
    assert [start for start, _end, _summary in events_in(caldav_calendar)] == [START + timedelta(hours=1)]


def test_a_source_that_does_not_take_bookings_gets_none(app, caldav_calendar, radicale):
    caldav_source(radicale)
    book(START, NOW)
    kinds = set(db.session.scalars(db.select(OutboxMessage.kind)))
    assert Kind.CALENDAR_EVENT_PUT not in kinds


def test_a_server_that_refuses_the_write_is_retried(app, caldav_calendar, radicale):
    caldav_source(radicale, write_calendar="Work", password="wrong")
    book(START, NOW)
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_PUT] == "retry"
    row = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.kind == Kind.CALENDAR_EVENT_PUT))
    assert row.status == Status.PENDING and row.attempts == 1
    assert "refused the user name or app password" in row.last_error


def test_calendar_steps_are_listed_on_the_outbox_page(client, caldav_calendar, radicale):
    caldav_source(radicale, write_calendar="Work")
    book(START, NOW)
    run_calendar_rows()
    create_admin("admin@studio.example", "correct horse battery")
    assert log_in(client).status_code == 303
    page = client.get("/admin/outbox?status=sent").get_data(as_text=True)
    assert "calendar event put" in page and "calendar refresh" in page
