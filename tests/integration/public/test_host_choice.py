"""Choosing a host: the host page, "Anyone" or a named host in the picker, the host on the confirmation."""
import re
from datetime import datetime, time, timezone
from urllib.parse import unquote

import pytest

from tests.factories import create_rule, create_service_type
from tests.integration.public.test_public_pages import first_time_link, form_fields
from webapp.extensions import db
from webapp.models import Booking
from webapp.models.host import CLIENT_CHOOSES
from webapp.services.hosts import save_host, set_service_hosts

NOW = datetime(2026, 11, 25, 8, tzinfo=timezone.utc)  # a Wednesday, 09:00 in Rome
DAY = "2026-12-02"  # a Wednesday


@pytest.fixture
def app_config():
    """Freeze the clock so the calendar is predictable."""
    return {"CLOCK": lambda: NOW}


@pytest.fixture
def team(app):
    """A client-chooses type given by Ann (09:00-10:00, Rome) and Bob (14:00-15:00, Rome) on Wednesdays."""
    create_service_type(key="team", name="Team call")
    ann = save_host(name="Ann Smith", email="ann@studio.example", timezone="Europe/Rome")
    bob = save_host(name="Bob Jones", email="bob@studio.example", timezone="Europe/Rome")
    create_rule(host_id=ann.id, service_type="team", day_of_week=2, start_time=time(9), end_time=time(10))
    create_rule(host_id=bob.id, service_type="team", day_of_week=2, start_time=time(14), end_time=time(15))
    set_service_hosts("team", [ann.id, bob.id], CLIENT_CHOOSES)
    return ann, bob


def times_on(client, query: str) -> list[str]:
    """Return the local start times the calendar offers."""
    html = client.get(f"/book/team?tz=Europe/Rome&day={DAY}{query}").text
    return re.findall(r'class="time" href="[^"]+">\s*(\d\d:\d\d)', html)


def test_the_host_page_lists_the_services_they_give(client, team):
    html = client.get("/with/ann-smith").text
    assert "Book a meeting with Ann Smith" in html
    assert "/book/team?host=ann-smith" in html
    assert "Consultation" not in html  # given by the default host only
    assert client.get("/with/nobody").status_code == 404


def test_the_picker_offers_anyone_and_each_host(client, team):
    html = client.get(f"/book/team?tz=Europe/Rome&day={DAY}").text
    assert '<option value="">Anyone</option>' in html
    assert '<option value="ann-smith"' in html and '<option value="bob-jones"' in html
    assert "Anyone" not in client.get(f"/book/consultation?tz=Europe/Rome&day={DAY}").text


def test_a_named_host_shows_only_their_times_and_links_carry_the_host(client, team):
    anyone = times_on(client, "")
    ann = times_on(client, "&host=ann-smith")
    assert "09:30" in anyone and "14:00" in anyone
    assert "09:30" in ann and "14:00" not in ann and "14:30" not in ann
    html = client.get(f"/book/team?tz=Europe/Rome&day={DAY}&host=ann-smith").text
    assert "host=ann-smith" in first_time_link(html)


def test_an_unknown_host_is_a_clear_400(client, team):
    response = client.get(f"/book/team?tz=Europe/Rome&day={DAY}&host=nobody")
    assert response.status_code == 400
    assert "does not offer this service" in response.text


def test_booking_a_named_host_shows_them_on_the_details_and_confirmation(client, team):
    url = first_time_link(client.get(f"/book/team?tz=Europe/Rome&day={DAY}&host=bob-jones").text)
    html = client.get(url).text
    assert "With <strong>Bob Jones</strong>" in html
    assert 'name="host" type="hidden" value="bob-jones"' in html
    posted = client.post("/book/team/details", data=form_fields(url, html, host="bob-jones"))
    assert posted.status_code == 303
    booking = db.session.scalar(db.select(Booking).where(Booking.service_type == "team"))
    assert [host.name for host in booking.hosts] == ["Bob Jones"]
    assert "Bob Jones" in client.get(posted.headers["Location"]).text


def test_booking_anyone_gets_a_free_host_named_on_the_confirmation(client, team):
    url = first_time_link(client.get(f"/book/team?tz=Europe/Rome&day={DAY}").text)
    html = client.get(url).text
    assert 'name="host"' not in html
    posted = client.post("/book/team/details", data=form_fields(url, html))
    assert posted.status_code == 303
    confirmation = client.get(posted.headers["Location"]).text
    assert "Ann Smith" in confirmation  # 09:00 is only Ann's
    assert unquote(url).count("host=") == 0
