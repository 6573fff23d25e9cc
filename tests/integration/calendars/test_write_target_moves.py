"""A host's bookings follow the calendar they are written into (Radicale, Google and Graph stubs).

When the admin chooses another calendar (or another source of the host takes the bookings),
the events written into the former calendar are removed from it through the outbox and the
host's upcoming bookings are written into the new one; past ones are not written again.
"""
from datetime import datetime

import caldav
import pytest
from icalendar import Calendar

from tests.factories import book
from tests.integration.admin.conftest import admin_client, admin_user, client, post_form  # noqa: F401  (fixtures)
from tests.integration.calendars.servers import PASSWORD, USER
from tests.integration.calendars.support import (
    BOOKED_AT,
    NOW,
    PAST,
    START,
    TEAM,
    account_source,
    caldav_source,
    run_calendar_rows,
    written,
)
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.outbox.kinds import Kind, Status
from webapp.services import calendar_sources
from webapp.services.bookings import cancel_booking
from webapp.services.hosts import default_host

PAGE = "/admin/calendar-sources"
EVENT_KINDS = (Kind.CALENDAR_EVENT_PUT, Kind.CALENDAR_EVENT_DELETE, Kind.CALENDAR_EVENT_WITHDRAW)


@pytest.fixture
def app_config(accounts_config):
    """Freeze the clock; point Google and Microsoft at their stubs."""
    return accounts_config


def summaries(calendar) -> list[tuple[datetime, str]]:
    """Return (start, summary) of every event in a Radicale calendar."""
    return sorted((event["DTSTART"].dt, str(event["SUMMARY"])) for resource in calendar.events()
                  for event in Calendar.from_ical(resource.data).walk("VEVENT"))


def form_of(source, **changes) -> dict:
    """Return the admin form's fields of a CalDAV source (its password kept), with changes."""
    fields = {"host_id": str(source.host_id), "kind": source.kind, "name": source.name, "url": source.url,
              "username": source.username or "", "password": "", "calendars": ", ".join(source.calendars),
              "write_calendar": source.write_calendar or "", "all_day_blocks": "y", "tentative_busy": "y",
              "is_active": "y"}
    return {**fields, **changes}


def kinds_queued() -> list[str]:
    """Return the kinds of the calendar event rows waiting, read fresh."""
    db.session.rollback()
    return sorted(db.session.scalars(db.select(OutboxMessage.kind).where(
        OutboxMessage.status == Status.PENDING, OutboxMessage.kind.in_(EVENT_KINDS))))


def test_choosing_another_caldav_calendar_moves_the_upcoming_bookings_and_clears_the_old_one(
        admin_client, caldav_calendar, radicale):
    home = caldav.DAVClient(url=radicale, username=USER, password=PASSWORD, timeout=10).principal() \
        .make_calendar(name="Home")
    source = caldav_source(radicale, write_calendar="Work")
    past = book(PAST, BOOKED_AT, client_name="Ada Lovelace").booking
    run_calendar_rows(BOOKED_AT)
    upcoming = book(START, NOW, client_name="Bea Bianchi", client_email="bea@example.com").booking
    run_calendar_rows()
    assert [summary for _start, summary in summaries(caldav_calendar)] == [
        "Consultation: Ada Lovelace", "Consultation: Bea Bianchi"]

    answer = post_form(admin_client, f"{PAGE}/{source.id}", form_of(source, write_calendar="Home"), page=PAGE)
    assert answer.status_code == 303
    assert kinds_queued() == [Kind.CALENDAR_EVENT_PUT, Kind.CALENDAR_EVENT_WITHDRAW, Kind.CALENDAR_EVENT_WITHDRAW]
    outcomes = run_calendar_rows()
    assert outcomes[Kind.CALENDAR_EVENT_WITHDRAW] == outcomes[Kind.CALENDAR_EVENT_PUT] == Status.SENT

    assert summaries(caldav_calendar) == []
    assert summaries(home) == [(START, "Consultation: Bea Bianchi")]
    assert written(past.id) is None and written(upcoming.id) is not None

    # the moved event is the one later changes reach
    cancel_booking(upcoming.id, "plans changed", NOW)
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_DELETE] == Status.SENT
    assert summaries(home) == []


def test_saving_a_source_without_moving_it_queues_nothing(admin_client, caldav_calendar, radicale):
    source = caldav_source(radicale, write_calendar="Work")
    book(START, NOW)
    run_calendar_rows()
    answer = post_form(admin_client, f"{PAGE}/{source.id}", form_of(source, name="Office"), page=PAGE)
    assert answer.status_code == 303 and kinds_queued() == []


def test_another_account_cannot_clear_the_old_calendar_so_its_events_are_only_forgotten(
        admin_client, caldav_calendar, radicale):
    source = caldav_source(radicale, write_calendar="Work")
    booking = book(START, NOW).booking
    run_calendar_rows()
    answer = post_form(admin_client, f"{PAGE}/{source.id}",
                       form_of(source, url=radicale.rstrip("/") + f"/{USER}/"), page=PAGE)
    assert answer.status_code == 303
    assert kinds_queued() == [Kind.CALENDAR_EVENT_PUT]  # the booking is written through the new address
    assert written(booking.id) is None


def test_a_source_taking_the_bookings_over_clears_the_other_ones_calendar(app, google, microsoft):
    account_source("google", [TEAM], TEAM)
    booking = book(START, NOW, client_name="Ada Lovelace").booking
    run_calendar_rows()
    google_id = written(booking.id).event_id

    calendar_sources.create_source(host_id=default_host().id, kind="microsoft", name="Outlook", url="",
                                   calendars=[], write_calendar="default")
    outcomes = run_calendar_rows()
    assert outcomes[Kind.CALENDAR_EVENT_WITHDRAW] == outcomes[Kind.CALENDAR_EVENT_PUT] == Status.SENT
    [delete] = google.calls("DELETE")
    assert delete.path == f"/calendars/team%40group.calendar.google.com/events/{google_id}"
    assert google.events[google_id]["status"] == "cancelled"
    [event] = microsoft.events.values()
    assert event["subject"] == "Consultation: Ada Lovelace" and written(booking.id).event_id == event["id"]


def test_a_write_that_lands_in_the_calendar_just_left_is_removed_again(app, google):
    from webapp.outbox.actions import prepare
    from webapp.outbox.perform import Claim, _record_sent, claim

    source = account_source("google", [], TEAM)
    booking = book(START, NOW).booking
    row_id = db.session.scalar(db.select(OutboxMessage.id).where(OutboxMessage.kind == Kind.CALENDAR_EVENT_PUT))
    row = claim(row_id, NOW)
    action = prepare(row, NOW)  # the worker took the write for TEAM...
    calendar_sources.update_source(source.id, host_id=source.host_id, kind="google", name="google", url="",
                                   username=None, password=None, calendars=[], write_calendar="primary",
                                   all_day_blocks=True, tentative_busy=True, is_active=True)
    result = action.call()  # ...and it lands there after the admin chose "primary"
    _record_sent(Claim(row_id, row.attempts, NOW), action, result)

    assert written(booking.id) is None, "the event in TEAM is not taken for the one in primary"
    outcomes = run_calendar_rows()
    assert outcomes[Kind.CALENDAR_EVENT_WITHDRAW] == outcomes[Kind.CALENDAR_EVENT_PUT] == Status.SENT
    live = {event_id: google.calendar_of[event_id] for event_id, event in google.events.items()
            if event["status"] == "confirmed"}
    assert list(live.values()) == ["primary"] and written(booking.id).event_id in live
