"""An .ics feed served locally; a source that hangs never slows the booking page."""
import time
from datetime import datetime, timedelta, timezone

import pytest

from tests.factories import book
from tests.integration.calendars.support import NOW, WEEKLY_WITH_EXCEPTIONS, feed_source, free_times, one_event
from webapp.calendars import fetch
from webapp.extensions import db
from webapp.models import CalendarSource, OutboxMessage
from webapp.outbox.kinds import Kind
from webapp.services import calendar_sync
from webapp.services.calendar_sources import failing_sources
from webapp.services.calendar_sync import refresh_source
from webapp.services.errors import SlotTaken


@pytest.fixture
def app_config():
    """Freeze the clock; let a source answer within one second."""
    return {"CLOCK": lambda: NOW, "CALENDAR_TIMEOUT_SECONDS": 1}


def test_an_ics_feed_blocks_its_events_recurrences_included(client, feed):
    feed.body = WEEKLY_WITH_EXCEPTIONS.encode()
    assert refresh_source(feed_source(feed.url).id, NOW)
    assert "10:00" not in free_times(client, "2026-11-30")
    assert "10:00" in free_times(client, "2026-12-07")
    assert "15:00" not in free_times(client, "2026-12-14")


def test_a_hanging_source_fails_in_time_and_its_cached_busy_times_still_block(client, feed, monkeypatch):
    feed.body = one_event("busy", "20261202T080000Z", "20261202T090000Z").encode()
    source = feed_source(feed.url)
    assert refresh_source(source.id, NOW)
    feed.hang_seconds = 3

    started = time.monotonic()
    assert not refresh_source(source.id, NOW + timedelta(minutes=5))
    assert time.monotonic() - started < 2.5  # the timeout, not the server, decided

    source = db.session.get(CalendarSource, source.id)
    assert source.last_error == "the feed did not answer in time"
    assert "09:00" not in free_times(client, "2026-12-02")


def test_booking_pages_read_the_cache_only(client, feed, monkeypatch):
    feed.body = one_event("busy", "20261202T080000Z", "20261202T090000Z").encode()
    assert refresh_source(feed_source(feed.url).id, NOW)
    feed.hang_seconds = 3
    asked = feed.requests

    def no_network(*args, **kwargs):
        raise AssertionError("a page read an outside calendar")

    for name in ("read_feed", "read_caldav"):
        monkeypatch.setattr(fetch, name, no_network)
    for name in ("refresh_source", "refresh_host", "refresh_due_sources"):
        monkeypatch.setattr(calendar_sync, name, no_network)
    started = time.monotonic()
    day = free_times(client, "2026-12-02")
    api = client.post("/api/v1/booking/calendar/availability", json={
        "start_date": "2026-12-02", "end_date": "2026-12-02", "service_type": "consultation",
        "timezone": "Europe/Rome"})
    assert time.monotonic() - started < 2.5
    assert "09:00" not in day and "09:30" not in day and "10:00" in day
    assert api.status_code == 200 and feed.requests == asked
    times = [slot["datetime"][11:16] for slot in api.json["availability"][0]["slots"]]
    assert "09:00" not in times and "10:00" in times


def test_a_source_failing_longer_than_the_setting_is_listed_for_the_dashboard(app, feed):
    feed.hang_seconds = 3
    source = feed_source(feed.url)
    refresh_source(source.id, NOW)
    assert failing_sources(NOW + timedelta(minutes=30)) == []
    assert [s.id for s in failing_sources(NOW + timedelta(minutes=61))] == [source.id]


def test_without_sources_a_booking_writes_no_read(app):
    book(datetime(2026, 12, 2, 13, tzinfo=timezone.utc), NOW)
    kinds = set(db.session.scalars(db.select(OutboxMessage.kind)))
    assert Kind.CALENDAR_REFRESH not in kinds


def test_the_booking_write_re_checks_against_the_cache(app, feed):
    feed.body = one_event("busy", "20261202T080000Z", "20261202T090000Z").encode()
    assert refresh_source(feed_source(feed.url).id, NOW)
    with pytest.raises(SlotTaken):
        book(datetime(2026, 12, 2, 8, 30, tzinfo=timezone.utc), NOW)
    assert book(datetime(2026, 12, 2, 9, tzinfo=timezone.utc), NOW).booking.id
