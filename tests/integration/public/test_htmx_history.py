"""Back after htmx picker clicks: a history restore gets the whole calendar page, not the picker."""
from datetime import datetime, timezone

import pytest

NOW = datetime(2026, 11, 25, 8, tzinfo=timezone.utc)  # a Wednesday, 09:00 in Rome
CALENDAR = "/book/consultation?tz=Europe/Rome&month=2026-12&day=2026-12-02"

#: what htmx 2 sends when Back finds nothing in its history cache (historyRestoreAsHxRequest on)
RESTORE_AS_HTMX = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
#: what it sends with historyRestoreAsHxRequest off, as the site's htmx-config asks
RESTORE_PLAIN = {"HX-History-Restore-Request": "true"}


@pytest.fixture
def app_config():
    """Freeze the clock so the calendar is predictable."""
    return {"CLOCK": lambda: NOW}


@pytest.mark.parametrize("headers", [RESTORE_AS_HTMX, RESTORE_PLAIN], ids=["as-htmx", "plain"])
def test_a_history_restore_gets_the_whole_calendar_page(client, headers):
    response = client.get(CALENDAR, headers=headers)
    assert response.status_code == 200
    page = response.text
    assert "<html" in page and 'class="site-header"' in page  # the page, not the fragment
    assert "<h1>Consultation</h1>" in page and "data-zone-form" in page
    assert 'class="open selected"' in page and ">09:00<" in page  # the day that was open


def test_the_answer_varies_on_both_htmx_headers(client):
    """A cache must not hand a stored fragment to a history restore, or the reverse."""
    fragment = client.get(CALENDAR, headers={"HX-Request": "true"})
    restored = client.get(CALENDAR, headers=RESTORE_AS_HTMX)
    assert "<html" not in fragment.text and "<html" in restored.text
    for response in (fragment, restored):
        assert {"HX-Request", "HX-History-Restore-Request"} <= set(response.vary)


def test_the_site_asks_htmx_not_to_mark_history_restores_as_htmx_requests(client):
    page = client.get("/book/consultation").text
    assert '"historyRestoreAsHxRequest": false' in page
    assert '"historyCacheSize": 0' in page
