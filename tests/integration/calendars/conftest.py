"""Fixtures of the calendar sync tests: a Radicale server, an .ics feed server, Google and Microsoft stubs."""
import caldav
import pytest

from tests.integration.calendars.servers import PASSWORD, USER, FeedServer, radicale_server
from tests.integration.calendars.support import NOW, WORK
from tests.integration.integrations.support import connect_account, provider_config
from tests.stubs.fixtures import (  # noqa: F401  (fixtures are used by name)
    google_oauth_stub,
    google_stub,
    graph_oauth_stub,
    graph_stub,
)


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


@pytest.fixture
def accounts_config(google_stub, graph_stub, google_oauth_stub, graph_oauth_stub):
    """App config freezing the clock and pointing Google and Microsoft at their stubs."""
    return {"CLOCK": lambda: NOW, **provider_config({"google_meet": google_stub, "teams": graph_stub},
                                                    {"google_meet": google_oauth_stub, "teams": graph_oauth_stub})}


@pytest.fixture
def google(app, google_stub, google_oauth_stub):
    """The connected Google account; the stub."""
    connect_account("google_meet", google_oauth_stub, access_token="google-access-token")
    return google_stub


@pytest.fixture
def microsoft(app, graph_stub, graph_oauth_stub):
    """The connected Microsoft account, whose mailbox has a second calendar WORK; the stub."""
    connect_account("teams", graph_oauth_stub, access_token="graph-access-token")
    graph_stub.calendars.add(WORK)
    return graph_stub
