"""Page parts rendered once per process: the same HTML as rendering every time, and never stale.

The month page's options form and month grid are kept per process (`webapp/fragment_cache.py`);
each is keyed by the configuration version, the language and what the part shows, so a booking,
an admin change or another language is drawn at once. The whole month page is kept the same way
for visitors who send no cookie.
"""
import re
from contextlib import contextmanager
from datetime import date, datetime, timezone
from urllib.parse import unquote

import pytest
from flask import template_rendered

from tests.conftest import _make_app
from tests.factories import book
from webapp.extensions import db
from webapp.models import ServiceType

#: Monday 1 December 2025, 08:00 UTC: the defaults offer weekday hours from the 2nd
NOW = datetime(2025, 12, 1, 8, tzinfo=timezone.utc)
PAGES = [
    "/book/consultation?month=2025-12",
    "/book/consultation?month=2025-12&tz=America/New_York&hours=12",
    "/book/consultation?month=2025-12&day=2025-12-10&lang=it",
    "/book/consultation?month=2026-01&tz=Asia/Tokyo&duration=60",
    "/book/consultation",
]
#: other pages sharing the layout's cached parts, with their statuses
OTHER_PAGES = {"/": 200, "/?lang=it": 200, "/book/no-such-service": 404}


@pytest.fixture
def app_config():
    """Freeze the clock."""
    return {"CLOCK": lambda: NOW}


def pages(client) -> list[bytes]:
    """Return each page twice, whole and as the htmx fragment (the second render may be cached)."""
    found = []
    for url in PAGES:
        for headers in ({}, {}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            assert response.status_code == 200, url
            found.append(response.data)
    for url, status in OTHER_PAGES.items():
        response = client.get(url)
        assert response.status_code == status, url
        found.append(response.data)
    return found


def free_starts(client, day: date, minutes: int) -> list[datetime]:
    """Return the starts the day's page offers for a consultation of `minutes`."""
    page = client.get(f"/book/consultation?day={day}&duration={minutes}").get_data(as_text=True)
    return [datetime.fromisoformat(unquote(found)) for found in re.findall(r'[?&;]start=([^&"]+)', page)]


def test_cached_parts_render_as_every_time(app, client, tmp_path, database_url):
    """A second app on the same database with the cache off answers every page byte for byte alike."""
    book(datetime(2025, 12, 10, 9, tzinfo=timezone.utc), NOW)
    cached = pages(client)
    assert app.extensions["fragment_cache"].kept  # the parts were stored and reused
    uncached_app = _make_app(tmp_path, database_url, {"CLOCK": lambda: NOW, "FRAGMENT_CACHE": False})
    with uncached_app.app_context():
        uncached = pages(uncached_app.test_client())
        db.session.remove()
    assert cached == uncached


def test_a_booking_closes_its_day_on_the_next_render(app, client):
    """The month grid is kept per set of open days: a day booked full is no longer a link."""
    url = "/book/consultation?month=2025-12&duration=60"
    assert 'href="/book/consultation?tz=Europe/Rome&amp;month=2025-12&amp;duration=60&amp;day=2025-12-10"' in \
        client.get(url).get_data(as_text=True)
    while offered := free_starts(client, date(2025, 12, 10), 60):  # book the day full
        book(offered[0], NOW, duration_minutes=60)
    page = client.get(url).get_data(as_text=True)
    assert "day=2025-12-10" not in page
    assert '<span aria-disabled="true">10</span>' in page


def test_an_admin_change_shows_in_the_cached_parts(app, client):
    """A service type's lengths changed by an admin: the options form offers the new ones at once."""
    assert '<option value="90"' not in client.get("/book/consultation?month=2025-12").get_data(as_text=True)
    service = db.session.scalar(db.select(ServiceType).where(ServiceType.key == "consultation"))
    service.allowed_durations = [*service.durations, 90]
    db.session.commit()
    assert '<option value="90"' in client.get("/book/consultation?month=2025-12").get_data(as_text=True)


def test_the_locale_is_part_of_the_key(app, client):
    """The same month in English, Italian, then American English: names and first weekday follow."""
    assert 'title="Monday"' in client.get("/book/consultation?month=2025-12&lang=en").get_data(as_text=True)
    assert 'title="lunedì"' in client.get("/book/consultation?month=2025-12&lang=it").get_data(as_text=True)
    american = client.get("/book/consultation?month=2025-12", headers={"Accept-Language": "en-US"})
    assert american.get_data(as_text=True).index('title="Sunday"') < american.get_data(as_text=True).index(
        'title="Monday"')


@contextmanager
def renders(app):
    """Yield the list of template names rendered meanwhile."""
    names = []

    def note(_sender, template, context, **_extra):
        names.append(template.name)
    template_rendered.connect(note, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(note, app)


def test_the_whole_page_is_kept_for_visitors_without_cookies(app, client):
    """Rendered once per address and what it shows; a cookie, another address or a booking renders again."""
    url = "/book/consultation?month=2025-12&day=2025-12-10&duration=60"
    first = client.get(url).get_data(as_text=True)
    with renders(app) as rendered:
        assert client.get(url).get_data(as_text=True) == first
        assert rendered == []
        client.set_cookie("session", "anything")
        assert client.get(url).get_data(as_text=True) == first
        assert rendered == ["public/calendar.html"]
        client.delete_cookie("session")
        client.get(url + "&tz=Asia/Tokyo")
        assert rendered[-1] == "public/calendar.html" and len(rendered) == 2
        taken = free_starts(client, date(2025, 12, 10), 60)[0]
        book(taken, NOW, duration_minutes=60)
        assert taken not in free_starts(client, date(2025, 12, 10), 60)
        assert len(rendered) == 4
