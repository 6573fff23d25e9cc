"""Times follow the visitor's clock: their browser's language, or 12/24 chosen in the URL and kept."""
import re

import pytest

from tests.integration.public.test_public_pages import NOW

DAY = "/book/consultation?tz=Europe/Rome&day=2026-12-02"


@pytest.fixture
def app_config():
    """Freeze the clock so the calendar is predictable."""
    return {"CLOCK": lambda: NOW}


def times(html: str) -> list[str]:
    """Return the free times a calendar page offers, as shown."""
    return re.findall(r'class="time" href="[^"]+"[^>]*>([^<]+)</a>', html)


def test_american_english_sees_12_hours_and_italian_24(client):
    assert times(client.get(DAY, headers={"Accept-Language": "en-US,en;q=0.9"}).text)[0] == "9:00 AM"
    assert times(client.get(DAY, headers={"Accept-Language": "it-IT,it;q=0.9"}).text)[0] == "09:00"
    assert times(client.get(DAY, headers={"Accept-Language": "en-GB"}).text)[0] == "09:00"


def test_the_choice_in_the_url_wins_and_every_picker_link_keeps_it(client):
    html = client.get(DAY + "&hours=24", headers={"Accept-Language": "en-US"}).text
    assert times(html)[0] == "09:00"
    time_link = re.search(r'class="time" href="([^"]+)"', html).group(1)
    next_month = re.search(r'rel="next"[^>]*|href="([^"]+)"[^>]*rel="next"', html).group(0)
    assert "hours=24" in time_link and "hours=24" in next_month
    assert '<input type="hidden" name="hours" value="24">' in html
    details = client.get(time_link.replace("&amp;", "&"), headers={"Accept-Language": "en-US"}).text
    chosen = re.search(r'<p class="summary"><strong>([^<]+)</strong>', details).group(1)
    assert ", 09:00 (" in chosen  # not 9:00 AM


def test_the_toggle_offers_the_other_clock(client):
    html = client.get(DAY, headers={"Accept-Language": "en-US"}).text
    current = re.search(r'<a href="[^"]+" aria-current="true">(\d+)-hour</a>', html)
    assert current.group(1) == "12"
    other = re.search(r'<a href="([^"]+)">24-hour</a>', html).group(1).replace("&amp;", "&")
    assert "hours=24" in other and "day=2026-12-02" in other
    assert times(client.get(other, headers={"Accept-Language": "en-US"}).text)[0] == "09:00"
