"""Fixtures of the calendar sync tests: a Radicale server with one calendar, an .ics feed server."""
import caldav
import pytest

from tests.integration.calendars.servers import PASSWORD, USER, FeedServer, radicale_server


@pytest.fixture
def radicale(tmp_path):
    """A running Radicale (CalDAV) server; stopped after the test. Yields its base URL."""
    folder = tmp_path / "radicale"
    folder.mkdir()
    with radicale_server(folder) as url:
        yield url


@pytest.fixture
def caldav_calendar(radicale):
    """The owner's calendar "Work" on the Radicale server (a caldav.Calendar to add events to)."""
    client = caldav.DAVClient(url=radicale, username=USER, password=PASSWORD, timeout=10)
    return client.principal().make_calendar(name="Work")


@pytest.fixture
def feed():
    """A local .ics feed (set `feed.body`); stopped after the test."""
    with FeedServer() as server:
        yield server
