"""Bookings written into the host's Google and Microsoft 365 calendars (local stubs checking the APIs).

Created, moved and removed through the outbox, each exactly once; the stored event id aims
every later write; freeBusy/getSchedule answers never count our own events as busy.
"""
from datetime import datetime, timedelta

import pytest

from tests.factories import book
from tests.integration.calendars.support import (
    NOW,
    START,
    TEAM,
    WORK,
    account_source,
    free_times,
    run_calendar_rows,
    written,
)
from tests.stubs.graph import DEFAULT_CALENDAR
from webapp.calendars.account_write import GOOGLE_PROPERTY, GRAPH_PROPERTY
from webapp.extensions import db
from webapp.models import ExternalBusy, OutboxMessage, WrittenEvent
from webapp.outbox.kinds import Kind, Status
from webapp.services import calendar_sources
from webapp.services.bookings import cancel_booking, reschedule_booking
from webapp.services.calendar_sync import refresh_source


@pytest.fixture
def app_config(accounts_config):
    """Freeze the clock; point Google and Microsoft at their stubs."""
    return accounts_config


def cached_busy() -> list[tuple[datetime, datetime]]:
    """Return the busy cache, read fresh."""
    db.session.rollback()
    return [(row.starts_at, row.ends_at) for row in db.session.scalars(db.select(ExternalBusy))]


def calendar_row(kind: Kind) -> OutboxMessage:
    """Return the newest calendar row of a kind."""
    db.session.rollback()
    return db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.kind == kind)
                             .order_by(OutboxMessage.id.desc()))


def move_half_an_hour_later(source_id: int, booking_id: int) -> None:
    """Check the source's busy answer leaves our own event out, then move the booking 30 minutes later."""
    assert refresh_source(source_id, NOW) and cached_busy() == []
    reschedule_booking(booking_id, START + timedelta(minutes=30), NOW)
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_PUT] == Status.SENT


def assert_only_the_moved_booking_blocks(client, source_id: int) -> None:
    """Check our moved event is not busy: 14:00 (Rome) is free again, 14:30 is the booking's."""
    assert refresh_source(source_id, NOW) and cached_busy() == []
    day = free_times(client, "2026-12-02")
    assert "14:00" in day and "14:30" not in day


def cancel_and_write(booking_id: int) -> None:
    """Cancel the booking and perform the calendar removal it queues."""
    cancel_booking(booking_id, "plans changed", NOW)
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_DELETE] == Status.SENT


def lose_the_record(booking_id: int) -> None:
    """Act out a worker that died after the calendar answered: the row is claimable again, nothing recorded."""
    row = calendar_row(Kind.CALENDAR_EVENT_PUT)
    row.status, row.claimed_until = Status.PENDING, None
    db.session.execute(db.delete(WrittenEvent).where(WrittenEvent.booking_id == booking_id))
    db.session.commit()


def write_again_after_a_lost_answer(kind: str, write_calendar: str) -> int:
    """Book, write the event, lose the record of the answer and write again; return the booking's id."""
    account_source(kind, [], write_calendar)
    created = book(START, NOW)
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_PUT] == Status.SENT
    lose_the_record(created.booking.id)
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_PUT] == Status.SENT
    return created.booking.id


# -- Google -------------------------------------------------------------------------------------

def test_a_booking_is_created_moved_and_removed_in_the_chosen_google_calendar(client, google):
    source = account_source("google", [TEAM], TEAM)
    created = book(START, NOW, client_name="Ada Lovelace")
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_PUT] == Status.SENT

    [insert] = [call for call in google.calls("POST") if call.path.endswith("/events")]
    assert insert.path == "/calendars/team%40group.calendar.google.com/events"
    assert insert.query == {"sendUpdates": "none"}
    assert insert.header("Authorization") == "Bearer google-access-token"
    record = written(created.booking.id)
    event = google.events[record.event_id]
    assert google.calendar_of[record.event_id] == TEAM and record.ical_uid == event["iCalUID"]
    assert event["summary"] == "Consultation: Ada Lovelace" and "attendees" not in event
    assert event["start"]["dateTime"] == "2026-12-02T13:00:00Z" and event["end"]["dateTime"] == "2026-12-02T13:30:00Z"
    assert event["extendedProperties"]["private"][GOOGLE_PROPERTY].startswith("ref-")

    # freeBusy reports our event; it never blocks the booking's own time, nor a move next to it
    move_half_an_hour_later(source.id, created.booking.id)
    [patch] = google.calls("PATCH")
    assert patch.path == f"/calendars/team%40group.calendar.google.com/events/{record.event_id}"
    assert event["start"]["dateTime"] == "2026-12-02T13:30:00Z" and len(google.events) == 1
    assert_only_the_moved_booking_blocks(client, source.id)

    cancel_and_write(created.booking.id)
    [delete] = google.calls("DELETE")
    assert delete.path == patch.path and delete.query == {"sendUpdates": "none"}
    assert event["status"] == "cancelled" and written(created.booking.id) is None


def test_a_google_write_repeated_after_a_lost_answer_finds_the_first_event(app, google):
    booking_id = write_again_after_a_lost_answer("google", "primary")
    # the event id is derived from the booking: the second insert meets a 409 and patches
    writes = [call.method for call in google.requests if call.path != "/freeBusy"]
    assert writes == ["POST", "POST", "PATCH"]
    assert len(google.events) == 1 and written(booking_id).event_id in google.events


def test_a_google_event_the_owner_deleted_is_done_on_cancel(app, google):
    account_source("google", [], "primary")
    created = book(START, NOW)
    run_calendar_rows()
    google.events[written(created.booking.id).event_id]["status"] = "cancelled"  # deleted in Google

    cancel_and_write(created.booking.id)  # Google answered 410
    assert calendar_row(Kind.CALENDAR_EVENT_DELETE).last_error is None


def test_a_failing_google_write_is_retried_and_then_written_once(app, google):
    account_source("google", [], "primary")
    book(START, NOW)
    google.fail_next(503)
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_PUT] == "retry"
    row = calendar_row(Kind.CALENDAR_EVENT_PUT)
    assert row.status == Status.PENDING and "HTTP 503" in row.last_error

    assert run_calendar_rows(NOW + timedelta(hours=1))[Kind.CALENDAR_EVENT_PUT] == Status.SENT
    assert len(google.events) == 1


# -- Microsoft 365 ------------------------------------------------------------------------------

def test_a_booking_is_created_moved_and_removed_in_the_chosen_microsoft_calendar(client, microsoft):
    source = account_source("microsoft", [microsoft.mailbox], WORK)
    created = book(START, NOW, client_name="Ada Lovelace")
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_PUT] == Status.SENT

    [create] = [call for call in microsoft.calls("POST") if call.path.endswith("/events")]
    assert create.path == "/me/calendars/AAMkAGI2-work-calendar%2F%2B%3D/events"
    assert create.header("Authorization") == "Bearer graph-access-token"
    body = create.json()
    assert body["singleValueExtendedProperties"][0]["id"] == GRAPH_PROPERTY
    assert body["singleValueExtendedProperties"][0]["value"].startswith("ref-") and body["transactionId"]
    record = written(created.booking.id)
    event = microsoft.events[record.event_id]
    assert microsoft.calendar_of[record.event_id] == WORK and record.ical_uid == event["iCalUId"]
    assert event["subject"] == "Consultation: Ada Lovelace" and event["showAs"] == "busy"
    assert event["start"] == {"dateTime": "2026-12-02T13:00:00", "timeZone": "UTC"}

    # getSchedule shows our event as busy; it never blocks the booking's own time
    move_half_an_hour_later(source.id, created.booking.id)
    [patch] = microsoft.calls("PATCH")
    assert patch.path.startswith("/me/events/") and written(created.booking.id).event_id == record.event_id
    assert event["start"] == {"dateTime": "2026-12-02T13:30:00", "timeZone": "UTC"}
    assert_only_the_moved_booking_blocks(client, source.id)

    cancel_and_write(created.booking.id)
    [delete] = microsoft.calls("DELETE")
    assert delete.path == patch.path and microsoft.events == {} and written(created.booking.id) is None


def test_a_microsoft_write_repeated_after_a_lost_answer_gets_the_first_event(app, microsoft):
    booking_id = write_again_after_a_lost_answer("microsoft", "default")
    first, second = [call for call in microsoft.calls("POST") if call.path.endswith("/events")]
    assert first.path == second.path == "/me/calendar/events"
    assert first.json()["transactionId"] == second.json()["transactionId"]  # Graph answers with the first
    assert list(microsoft.events) == [written(booking_id).event_id]
    assert microsoft.calendar_of[written(booking_id).event_id] == DEFAULT_CALENDAR


def test_a_microsoft_event_the_owner_deleted_is_made_again_on_a_move(app, microsoft):
    account_source("microsoft", [], "default")
    created = book(START, NOW)
    run_calendar_rows()
    first_id = written(created.booking.id).event_id
    microsoft.events.clear()  # deleted in Outlook

    reschedule_booking(created.booking.id, START + timedelta(hours=1), NOW)
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_PUT] == Status.SENT
    [again] = microsoft.events.values()
    assert again["id"] != first_id and written(created.booking.id).event_id == again["id"]
    assert again["start"]["dateTime"] == "2026-12-02T14:00:00"

    microsoft.events.clear()
    cancel_and_write(created.booking.id)  # Graph answered 404: done


def test_a_microsoft_calendar_that_does_not_exist_is_retried_with_the_reason(app, microsoft):
    account_source("microsoft", [], "no-such-calendar")
    book(START, NOW)
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_PUT] == "retry"
    assert "HTTP 404" in calendar_row(Kind.CALENDAR_EVENT_PUT).last_error and microsoft.events == {}


def test_a_cancel_waits_for_a_write_still_under_way(app, microsoft):
    account_source("microsoft", [], "default")
    created = book(START, NOW)
    cancel_booking(created.booking.id, "plans changed", NOW)
    row = calendar_row(Kind.CALENDAR_EVENT_PUT)
    row.status = Status.SENDING
    db.session.commit()

    assert run_calendar_rows()[Kind.CALENDAR_EVENT_DELETE] != Status.SENT
    assert calendar_row(Kind.CALENDAR_EVENT_DELETE).status == Status.PENDING and microsoft.requests == []


def test_after_the_admin_picks_another_calendar_the_next_change_is_written_there(app, microsoft):
    source = account_source("microsoft", [], "default")
    created = book(START, NOW)
    run_calendar_rows()
    calendar_sources.update_source(source.id, host_id=source.host_id, kind="microsoft", name="microsoft", url="",
                                   username=None, password=None, calendars=[], write_calendar=WORK,
                                   all_day_blocks=True, tentative_busy=True, is_active=True)
    assert written(created.booking.id) is None  # the stored id names an event in the other calendar

    reschedule_booking(created.booking.id, START + timedelta(hours=1), NOW)
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_PUT] == Status.SENT
    assert microsoft.calendar_of[written(created.booking.id).event_id] == WORK
