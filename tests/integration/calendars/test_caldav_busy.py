"""Busy times from a real CalDAV server (Radicale) remove the right slots after a refresh."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.factories import book
from tests.integration.calendars.support import NOW, WEEKLY_WITH_EXCEPTIONS, caldav_source, free_times, one_event
from webapp.extensions import db
from webapp.models import CalendarSource, ExternalBusy, OutboxMessage
from webapp.outbox.kinds import Kind, Status
from webapp.outbox.perform import perform
from webapp.services import calendar_sources
from webapp.services.calendar_sync import refresh_due_sources, refresh_source


@pytest.fixture
def app_config():
    """Freeze the clock so the calendar is predictable."""
    return {"CLOCK": lambda: NOW}


def test_a_weekly_event_with_an_exception_and_a_moved_instance_blocks_the_right_slots(client, caldav_calendar,
                                                                                       radicale):
    caldav_calendar.save_event(WEEKLY_WITH_EXCEPTIONS)
    source = caldav_source(radicale)
    assert "10:00" in free_times(client, "2026-11-30")  # nothing read yet: nothing blocks

    assert refresh_source(source.id, NOW)

    first = free_times(client, "2026-11-30")
    assert "09:30" in first and "10:00" not in first and "10:30" not in first and "11:00" in first
    assert "10:00" in free_times(client, "2026-12-07")  # the cancelled week (EXDATE)
    moved = free_times(client, "2026-12-14")
    assert "10:00" in moved and "15:00" not in moved and "15:30" not in moved and "16:00" in moved
    assert "10:00" not in free_times(client, "2026-12-21")
    assert "10:00" in free_times(client, "2026-12-28")  # COUNT=4 ended


def test_the_services_buffers_apply_around_outside_events(client, caldav_calendar, radicale):
    caldav_calendar.save_event(WEEKLY_WITH_EXCEPTIONS)
    refresh_source(caldav_source(radicale).id, NOW)
    training = free_times(client, "2026-11-30", service="training")  # 60 minutes, 15 after
    assert "09:00" not in training and "08:30" not in training and "11:00" in training


def test_free_cancelled_and_our_own_events_never_block(client, caldav_calendar, radicale):
    caldav_calendar.save_event(one_event("free", "20261202T080000Z", "20261202T090000Z", "TRANSP:TRANSPARENT"))
    caldav_calendar.save_event(one_event("off", "20261202T090000Z", "20261202T100000Z", "STATUS:CANCELLED"))
    caldav_calendar.save_event(one_event("studiocentos-booking-7", "20261202T100000Z", "20261202T110000Z"))
    caldav_calendar.save_event(one_event("busy", "20261202T130000Z", "20261202T140000Z"))
    refresh_source(caldav_source(radicale).id, NOW)
    day = free_times(client, "2026-12-02")
    assert {"09:00", "10:00", "11:00", "12:00"} <= set(day)
    assert "14:00" not in day and "14:30" not in day


def test_all_day_events_block_the_day_unless_turned_off(client, caldav_calendar, radicale):
    caldav_calendar.save_event(one_event("holiday", "20261203", "20261204"))
    source = caldav_source(radicale)
    refresh_source(source.id, NOW)
    assert free_times(client, "2026-12-03") == []

    source.all_day_blocks = False
    db.session.commit()
    refresh_source(source.id, NOW)
    assert "09:00" in free_times(client, "2026-12-03")


def test_tentative_events_count_as_chosen(client, caldav_calendar, radicale):
    caldav_calendar.save_event(one_event("maybe", "20261204T080000Z", "20261204T090000Z", "STATUS:TENTATIVE"))
    source = caldav_source(radicale)
    refresh_source(source.id, NOW)
    assert "09:00" not in free_times(client, "2026-12-04")
    source.tentative_busy = False
    db.session.commit()
    refresh_source(source.id, NOW)
    assert "09:00" in free_times(client, "2026-12-04")


def test_a_wrong_password_is_recorded_and_the_last_busy_times_still_block(client, caldav_calendar, radicale):
    caldav_calendar.save_event(one_event("busy", "20261202T080000Z", "20261202T090000Z"))
    source = caldav_source(radicale)
    assert refresh_source(source.id, NOW)
    calendar_sources.update_source(source.id, host_id=source.host_id, kind="caldav", name="Work", url=radicale,
                                   username="owner", password="wrong", calendars=["Work"],
                                   all_day_blocks=True, tentative_busy=True, is_active=True)
    assert not refresh_source(source.id, NOW)
    source = db.session.get(CalendarSource, source.id)
    assert "refused" in source.last_error and source.failing_since == NOW and source.last_success_at == NOW
    assert db.session.scalar(db.select(db.func.count()).select_from(ExternalBusy)) == 1
    assert "09:00" not in free_times(client, "2026-12-02")


def test_the_sweep_reads_a_new_source_and_then_waits_for_the_interval(app, caldav_calendar, radicale):
    caldav_source(radicale)
    assert refresh_due_sources(NOW) == 1
    assert refresh_due_sources(NOW) == 0
    assert refresh_due_sources(NOW + timedelta(minutes=5)) == 1


def test_a_booking_writes_a_read_of_its_hosts_calendars_into_the_outbox(app, caldav_calendar, radicale):
    source = caldav_source(radicale)
    start = datetime(2026, 12, 2, 13, tzinfo=timezone.utc)
    created = book(start, NOW)
    row = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.kind == Kind.CALENDAR_REFRESH))
    assert row.booking_id == created.booking.id

    caldav_calendar.save_event(one_event("new", "20261203T080000Z", "20261203T090000Z"))
    assert perform(row.id, NOW) == Status.SENT
    assert db.session.get(CalendarSource, source.id).last_success_at == NOW
    assert "09:00" not in free_times(app.test_client(), "2026-12-03")
