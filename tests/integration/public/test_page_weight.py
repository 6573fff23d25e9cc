"""Pages no larger than they need to be: a small month page, every zone on demand (with or
without JavaScript), text compressed, static files versioned by content and cached for a year."""
import gzip
import re
from datetime import datetime, timezone
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from webapp.static_files import VERSIONED_MAX_AGE

NOW = datetime(2025, 12, 1, 8, tzinfo=timezone.utc)
MONTH_PAGE = "/book/consultation?month=2025-12&tz=Europe/Rome"
MAX_MONTH_PAGE_BYTES = 15 * 1024


def attribute(html: str, tag_pattern: str, name: str) -> str:
    """Return an attribute of the first tag whose opening matches `tag_pattern`."""
    tag = re.search(rf"<{tag_pattern}[^>]*>", html).group(0)
    return unescape(re.search(rf'{name}="([^"]*)"', tag).group(1))


def chosen_zones(html: str) -> list[str]:
    """Return the values of the selected options of the zone select."""
    select = re.search(r'<select id="tz".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]+)" selected>', select)


def zone_count(html: str) -> int:
    """Return how many options the zone select offers."""
    return re.search(r'<select id="tz".*?</select>', html, re.S).group(0).count("<option")


@pytest.fixture
def app_config():
    """Freeze the clock."""
    return {"CLOCK": lambda: NOW}


def test_the_month_page_is_at_most_15_kb_and_offers_the_common_zones(client):
    response = client.get(MONTH_PAGE)
    assert response.status_code == 200
    assert len(response.data) <= MAX_MONTH_PAGE_BYTES
    html = response.get_data(as_text=True)
    assert 10 < zone_count(html) < 40
    assert chosen_zones(html) == ["Europe/Rome"]


def test_a_client_without_javascript_can_pick_any_zone(client):
    page = client.get(MONTH_PAGE + "&day=2025-12-10").get_data(as_text=True)
    zones_page = client.get(attribute(page, 'a class="all-zones"', "href"))
    assert zones_page.status_code == 200
    html = zones_page.get_data(as_text=True)
    assert zone_count(html) > 500
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
    assert fields["month"] == "2025-12" and fields["day"] == "2025-12-10"
    # submitting the form with a zone the month page did not list shows the times in it
    shown = client.get(attribute(html, 'form method="get"', "action"),
                       query_string={**fields, "tz": "Asia/Kathmandu"})
    assert shown.status_code == 200
    assert chosen_zones(shown.get_data(as_text=True)) == ["Asia/Kathmandu"]


def test_the_zones_page_goes_back_only_to_this_site(client):
    assert client.get("/zones", query_string={"back": "//evil.example/x"}).status_code == 404
    assert client.get("/zones", query_string={"back": "https://evil.example/"}).status_code == 404
    assert client.get("/zones").status_code == 404


def test_scripts_load_every_zone_from_one_cached_response(client):
    url = attribute(client.get(MONTH_PAGE).get_data(as_text=True), 'select id="tz"', "data-all-zones")
    response = client.get(url)
    assert response.status_code == 200
    assert response.data.count(b"<option") > 500
    assert "max-age=86400" in response.headers["Cache-Control"]
    assert "v=2025-12-01" in url  # offsets change with the date


def test_text_responses_are_gzipped_for_clients_that_take_it(client):
    plain = client.get(MONTH_PAGE)
    packed = client.get(MONTH_PAGE, headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 3
    api = client.post("/api/v1/booking/calendar/availability", headers={"Accept-Encoding": "gzip"},
                      json={"start_date": "2025-12-01", "end_date": "2025-12-31", "service_type": "consultation"})
    assert api.headers["Content-Encoding"] == "gzip" and gzip.decompress(api.data).startswith(b"{")


def test_static_files_are_versioned_by_content_and_cached_for_a_year(client):
    script = attribute(client.get(MONTH_PAGE).get_data(as_text=True), 'script src="[^"]*app.js', "src")
    version = parse_qs(urlsplit(script).query)["v"][0]
    assert len(version) == 12
    response = client.get(script, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert f"max-age={VERSIONED_MAX_AGE}" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    assert b"withAllZones" in gzip.decompress(response.data)
    unversioned = client.get(urlsplit(script).path)
    assert "immutable" not in unversioned.headers.get("Cache-Control", "")
