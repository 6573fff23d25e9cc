"""The outside calendars admin pages: add (secret encrypted, never shown), change, remove, status, warning."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.integration.admin.conftest import post_form, reloaded
from webapp.extensions import db
from webapp.models import CalendarSource, ExternalBusy
from webapp.services.hosts import default_host
from webapp.services.integrations import token_cipher

NOW = datetime(2026, 11, 25, 8, tzinfo=timezone.utc)
PAGE = "/admin/calendar-sources"


@pytest.fixture
def app_config():
    """Freeze the clock, so "failing for longer than an hour" is predictable."""
    return {"CLOCK": lambda: NOW}


def _fields(**changes) -> dict:
    fields = {"host_id": str(default_host().id), "kind": "caldav", "name": "Work",
              "url": "https://caldav.example.com/", "username": "owner", "password": "app-secret-1",
              "calendars": "Work, Family", "all_day_blocks": "y", "tentative_busy": "y", "is_active": "y"}
    return {**fields, **changes}


def _sources() -> list[CalendarSource]:
    db.session.rollback()
    return list(db.session.scalars(db.select(CalendarSource)))


def test_adding_a_caldav_source_stores_the_password_encrypted_and_never_shows_it(admin_client):
    response = post_form(admin_client, PAGE, _fields(), page=PAGE)
    assert response.status_code == 303

    [source] = _sources()
    assert source.calendars == ["Work", "Family"] and source.username == "owner"
    assert "app-secret-1" not in source.secret_enc
    assert token_cipher().decrypt(source.secret_enc) == "app-secret-1"
    listing = admin_client.get(PAGE).get_data(as_text=True)
    edit = admin_client.get(f"{PAGE}/{source.id}").get_data(as_text=True)
    assert "Work" in listing and "not read yet" in listing
    assert "app-secret-1" not in edit and "Work, Family" in edit


@pytest.mark.parametrize(("changes", "message"), [
    ({"url": "ftp://caldav.example.com/"}, "Enter the full address, starting with https://."),
    ({"name": ""}, "This field is required."),
    ({"url": ""}, "Enter the full address, starting with https://."),
    ({"kind": "google"}, "Leave the address empty: the connected account is used."),
    ({"kind": "exchange"}, "Choose one of the listed kinds."),
    ({"host_id": "999"}, "Choose a host."),
    ({"kind": "ics", "write_calendar": "Work"}, "An .ics feed is read-only: write bookings into a CalDAV"),
])
def test_bad_fields_are_refused_with_a_message_beside_them(admin_client, changes, message):
    response = post_form(admin_client, PAGE, _fields(**changes), page=PAGE)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and "Please correct the highlighted fields." in page
    assert _sources() == []


def test_saving_without_a_password_keeps_the_stored_one(admin_client):
    post_form(admin_client, PAGE, _fields(), page=PAGE)
    [source] = _sources()
    response = post_form(admin_client, f"{PAGE}/{source.id}", _fields(password="", name="Office"), page=PAGE)
    assert response.status_code == 303
    source = reloaded(CalendarSource, source.id)
    assert source.name == "Office" and token_cipher().decrypt(source.secret_enc) == "app-secret-1"


def test_removing_a_source_removes_its_busy_times(admin_client):
    post_form(admin_client, PAGE, _fields(kind="ics", url="https://example.com/feed.ics"), page=PAGE)
    [source] = _sources()
    db.session.add(ExternalBusy(source_id=source.id, host_id=source.host_id, starts_at=NOW,
                                ends_at=NOW + timedelta(hours=1)))
    db.session.commit()
    assert post_form(admin_client, f"{PAGE}/{source.id}/delete", {}, page=PAGE).status_code == 303
    assert _sources() == []
    assert db.session.scalar(db.select(db.func.count()).select_from(ExternalBusy)) == 0


def test_turning_a_source_off_stops_its_busy_times_blocking(admin_client):
    post_form(admin_client, PAGE, _fields(), page=PAGE)
    [source] = _sources()
    db.session.add(ExternalBusy(source_id=source.id, host_id=source.host_id, starts_at=NOW,
                                ends_at=NOW + timedelta(hours=1)))
    db.session.commit()
    fields = _fields()
    del fields["is_active"]
    assert post_form(admin_client, f"{PAGE}/{source.id}", fields, page=PAGE).status_code == 303
    assert not reloaded(CalendarSource, source.id).is_active
    assert db.session.scalar(db.select(db.func.count()).select_from(ExternalBusy)) == 0


def test_the_dashboard_warns_about_a_source_failing_for_over_an_hour(admin_client):
    post_form(admin_client, PAGE, _fields(), page=PAGE)
    [source] = _sources()
    source.failing_since, source.last_error = NOW - timedelta(minutes=30), "the CalDAV server did not answer in time"
    db.session.commit()
    assert "not read for a while" not in admin_client.get("/admin/").get_data(as_text=True)

    source = reloaded(CalendarSource, source.id)
    source.failing_since = NOW - timedelta(minutes=90)
    db.session.commit()
    dashboard = admin_client.get("/admin/").get_data(as_text=True)
    assert "not read for a while" in dashboard and "did not answer in time" in dashboard
    edit = admin_client.get(f"{PAGE}/{source.id}").get_data(as_text=True)
    assert "failing since" in edit and "did not answer in time" in edit


def test_read_again_now_marks_the_source_for_the_next_pass(admin_client):
    post_form(admin_client, PAGE, _fields(), page=PAGE)
    [source] = _sources()
    source.refresh_requested = False
    db.session.commit()
    assert post_form(admin_client, f"{PAGE}/{source.id}/refresh", {}, page=PAGE).status_code == 303
    assert reloaded(CalendarSource, source.id).refresh_requested


def test_an_unknown_source_is_404(admin_client):
    assert admin_client.get(f"{PAGE}/999").status_code == 404


def test_bookings_go_into_one_calendar_per_host(admin_client):
    post_form(admin_client, PAGE, _fields(name="Old", write_calendar="Work"), page=PAGE)
    post_form(admin_client, PAGE, _fields(name="New", write_calendar="Bookings"), page=PAGE)
    assert {source.name: source.write_calendar for source in _sources()} == {"Old": None, "New": "Bookings"}


def test_a_google_calendar_that_takes_bookings_is_added_and_listed_as_such(admin_client):
    fields = _fields(kind="google", name="Studio", url="", username="", password="", calendars="primary",
                     write_calendar="primary")
    assert post_form(admin_client, PAGE, fields, page=PAGE).status_code == 303
    [source] = _sources()
    assert source.kind == "google" and source.write_calendar == "primary" and source.secret_enc is None
    listing = admin_client.get(PAGE).get_data(as_text=True)
    assert "Google Calendar" in listing and "bookings written into primary" in listing
