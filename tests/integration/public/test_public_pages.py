"""Public pages: full page vs htmx partial, the booking form, CSRF, errors."""
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

import pytest

from tests.conftest import csrf_from
from webapp.extensions import db
from webapp.models import Booking

NOW = datetime(2026, 11, 25, 8, tzinfo=timezone.utc)  # a Wednesday, 09:00 in Rome


@pytest.fixture
def app_config():
    """Freeze the clock so the calendar is predictable."""
    return {"CLOCK": lambda: NOW}


def first_time_link(html: str) -> str:
    """Return the first free time's link on a calendar page."""
    match = re.search(r'class="time" href="([^"]+)"', html)
    assert match, "no free time offered"
    return match.group(1).replace("&amp;", "&")


def booking_form(client, day="2026-12-02", tz="Europe/Rome"):
    """Open the calendar on `day`, pick its first time; return (form URL, form html)."""
    page = client.get(f"/book/consultation?tz={tz}&day={day}")
    url = first_time_link(page.text)
    return url, client.get(url).text


def form_fields(url: str, html: str, **overrides) -> dict:
    """Return a valid posted form for the time in `url`."""
    query = dict(part.split("=", 1) for part in url.split("?", 1)[1].split("&"))
    fields = {"csrf_token": csrf_from(html), "start": unquote(query["start"]), "tz": unquote(query["tz"]),
              "duration": query["duration"], "client_name": "Mario Rossi",
              "client_email": "mario@example.com", "meeting_provider": "jitsi", "title": "Consulenza"}
    return {**fields, **overrides}


def test_index_lists_the_four_default_services(client):
    html = client.get("/").text
    for name in ("Consultation", "Demo", "Support", "Training"):
        assert name in html


def test_calendar_is_a_full_page_and_a_fragment_for_htmx(client):
    full = client.get("/book/consultation?tz=Europe/Rome&month=2026-12")
    partial = client.get("/book/consultation?tz=Europe/Rome&month=2026-12",
                         headers={"HX-Request": "true"})
    assert full.status_code == partial.status_code == 200
    assert "<html" in full.text and "<html" not in partial.text
    assert 'data-picker' in partial.text
    assert "HX-Request" in full.headers["Vary"] and "HX-Request" in partial.headers["Vary"]


def test_month_shows_open_weekdays_and_closed_weekends(client):
    html = client.get("/book/consultation?tz=Europe/Rome&month=2026-12").text
    assert "day=2026-12-01" in html  # Tuesday
    assert "day=2026-12-05" not in html  # Saturday


def test_times_are_shown_in_the_viewers_zone(client):
    rome = client.get("/book/consultation?tz=Europe/Rome&day=2026-12-02").text
    new_york = client.get("/book/consultation?tz=America/New_York&day=2026-12-02").text
    assert ">09:00<" in rome and "times in Europe/Rome" in rome
    assert ">03:00<" in new_york and "times in America/New_York" in new_york


@pytest.mark.parametrize("query", ["tz=Mars/Base", "month=2026-13", "day=yesterday",
                                   "duration=7", "month=1999-01"])
def test_bad_calendar_parameters_get_a_clear_400(client, query):
    response = client.get(f"/book/consultation?{query}")
    assert response.status_code == 400
    assert "<h1>" in response.text


def test_unknown_service_is_404(client):
    assert client.get("/book/astrology").status_code == 404


def test_booking_through_the_form_lands_on_the_confirmation(client):
    url, html = booking_form(client)
    response = client.post("/book/consultation/details", data=form_fields(url, html))
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert "Wednesday 2 December 2026, 09:00–09:30 (Europe/Rome" in page.text
    assert "/manage/" in page.text and page.headers["Referrer-Policy"] == "no-referrer"
    booking = db.session.scalar(db.select(Booking))
    assert booking.status == "pending" and booking.client_name == "Mario Rossi"
    assert booking.scheduled_at == datetime(2026, 12, 2, 8, tzinfo=timezone.utc)


def test_booked_time_disappears_from_the_calendar(client):
    url, html = booking_form(client)
    client.post("/book/consultation/details", data=form_fields(url, html))
    day = client.get("/book/demo?tz=Europe/Rome&day=2026-12-02").text
    assert ">09:00<" not in day and ">09:30<" in day


def test_post_without_csrf_token_is_refused_and_stores_nothing(client):
    url, html = booking_form(client)
    fields = form_fields(url, html)
    del fields["csrf_token"]
    assert client.post("/book/consultation/details", data=fields).status_code == 400
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 0


@pytest.mark.parametrize("field,value,message", [
    ("client_email", "not-an-email", "email"),
    ("client_name", "", "required"),
    ("client_phone", "call me maybe", "digits"),
    ("meeting_provider", "skype", "Not a valid choice"),
])
def test_invalid_form_re_renders_with_the_message_and_stores_nothing(client, field, value, message):
    url, html = booking_form(client)
    response = client.post("/book/consultation/details", data=form_fields(url, html, **{field: value}))
    assert response.status_code == 422
    assert message in response.text
    assert 'value="Mario Rossi"' in response.text or field == "client_name"
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 0


def test_a_time_taken_meanwhile_keeps_the_details_and_offers_the_days_fresh_times(client):
    url, html = booking_form(client)
    assert client.post("/book/consultation/details", data=form_fields(url, html)).status_code == 303
    second = client.post("/book/consultation/details",
                         data=form_fields(url, html, client_email="other@example.com",
                                          client_name="Luigi Verdi"))
    assert second.status_code == 409
    assert "just taken" in second.text and 'value="Luigi Verdi"' in second.text
    offered = re.findall(r'name="start" value="([^"]+)"', second.text)
    assert "2026-12-02T08:00:00+00:00" not in offered
    assert offered[0] == "2026-12-02T08:30:00+00:00"  # 09:30 in Rome, preselected
    third = client.post("/book/consultation/details",
                        data=form_fields(url, second.text, start=offered[0], client_name="Luigi Verdi",
                                         client_email="other@example.com"))
    assert third.status_code == 303
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 2


@pytest.mark.parametrize("start", [
    "2026-12-02T08:10:00+00:00",  # 09:10 in Rome: between two steps
    "2026-12-02T19:00:00+00:00",  # 20:00 in Rome: after hours
    "2026-12-05T09:00:00+00:00",  # a Saturday: closed
])
def test_a_time_never_offered_is_not_available_and_the_days_times_are_offered(client, start):
    url, html = booking_form(client)
    response = client.post("/book/consultation/details", data=form_fields(url, html, start=start))
    assert response.status_code == 409
    assert "That time is not available. Please choose another." in response.text
    assert "just taken" not in response.text
    assert 'value="Mario Rossi"' in response.text or "data-picker" in response.text
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 0


def test_a_time_off_the_grid_offers_the_days_real_times(client):
    url, html = booking_form(client)
    response = client.post("/book/consultation/details",
                           data=form_fields(url, html, start="2026-12-02T08:10:00+00:00"))
    offered = re.findall(r'name="start" value="([^"]+)"', response.text)
    assert offered[0] == "2026-12-02T08:00:00+00:00" and "2026-12-02T08:10:00+00:00" not in offered


def test_time_before_minimum_notice_is_refused_with_a_message(client):
    url, html = booking_form(client)
    fields = form_fields(url, html, start=(NOW + timedelta(minutes=30)).isoformat())
    response = client.post("/book/consultation/details", data=fields)
    assert response.status_code == 422
    alert = re.search(r'<p class="alert" role="alert">([^<]*)</p>', response.text).group(1)
    assert "notice" in alert and "highlighted" not in alert  # no field shows it: the alert says it


def test_unknown_confirmation_token_is_404(client):
    assert client.get("/booking/" + "x" * 43).status_code == 404


def test_pages_cannot_be_framed(client):
    response = client.get("/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
