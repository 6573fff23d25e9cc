"""Busy times through the connected Google (freeBusy) and Microsoft (getSchedule) accounts, against the stubs."""
from datetime import datetime, timedelta

import pytest

from tests.integration.integrations.support import connect_account, now
from webapp.extensions import db
from webapp.models import CalendarSource, ExternalBusy
from webapp.services import calendar_sources
from webapp.services.calendar_sync import refresh_source
from webapp.services.hosts import default_host

GOOD_TOKEN = {"google_meet": "google-access-token", "teams": "graph-access-token"}


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _busy() -> list[tuple[datetime, datetime]]:
    db.session.rollback()
    return [(row.starts_at, row.ends_at) for row in db.session.scalars(
        db.select(ExternalBusy).order_by(ExternalBusy.starts_at))]


def _source(kind: str, calendars: list[str] | None = None, **changes) -> CalendarSource:
    return calendar_sources.create_source(host_id=default_host().id, kind=kind, name=kind, url="",
                                          calendars=calendars, **changes)


@pytest.fixture
def day() -> datetime:
    """Nine o'clock UTC, three days from now."""
    return now().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=3)


def test_google_free_busy_of_the_chosen_calendars_is_cached(app, stubs, day):
    connect_account("google_meet", stubs["google_meet"][1], access_token=GOOD_TOKEN["google_meet"])
    api = stubs["google_meet"][0]
    api.busy = {"primary": [(_iso(day), _iso(day + timedelta(hours=1)))],
                "team@group.calendar.google.com": [(_iso(day + timedelta(hours=3)), _iso(day + timedelta(hours=4)))]}
    source = _source("google", ["primary", "team@group.calendar.google.com"])

    assert refresh_source(source.id, now())

    assert _busy() == [(day, day + timedelta(hours=1)), (day + timedelta(hours=3), day + timedelta(hours=4))]
    [call] = api.calls("POST")
    assert call.header("Authorization") == "Bearer google-access-token"


def test_a_google_calendar_the_account_cannot_see_is_an_error_on_the_source(app, stubs, day):
    connect_account("google_meet", stubs["google_meet"][1], access_token=GOOD_TOKEN["google_meet"])
    source = _source("google", ["someone-else@example.com"])
    assert not refresh_source(source.id, now())
    assert "notFound" in db.session.get(CalendarSource, source.id).last_error


def test_microsoft_get_schedule_counts_busy_and_away_and_tentative_as_chosen(app, stubs, day):
    connect_account("teams", stubs["teams"][1], access_token=GOOD_TOKEN["teams"])
    stubs["teams"][0].schedule_items = {"owner@studio.example": [
        ("busy", day.strftime("%Y-%m-%dT%H:%M:%S"), (day + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")),
        ("tentative", (day + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S"),
         (day + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%S")),
        ("free", (day + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%S"),
         (day + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M:%S")),
    ]}
    source = _source("microsoft", ["owner@studio.example"], tentative_busy=False)

    assert refresh_source(source.id, now())

    assert _busy() == [(day, day + timedelta(hours=1))]


def test_without_a_connected_account_the_source_fails_visibly(app, stubs):
    source = _source("google")
    assert not refresh_source(source.id, now())
    assert "no account is connected" in db.session.get(CalendarSource, source.id).last_error


def test_account_sources_need_no_address(app):
    source = _source("microsoft")
    assert source.url == "" and source.calendars == []
