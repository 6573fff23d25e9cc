"""Pytest fixtures: stubs that fail their test on any API violation, and a request factory.

Use from a conftest: `from tests.stubs.fixtures import google_stub, zoom_stub, ...`.
"""
from datetime import datetime, timedelta, timezone

import pytest

from tests.stubs import GoogleCalendarStub, GraphStub, OAuthStub, WherebyStub, ZoomStub

#: a start a few days ahead: Whereby refuses rooms that end in the past
_START = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=3)


def _serve(stub):
    with stub:
        yield stub
    stub.assert_clean()


@pytest.fixture
def google_stub():
    """A Google Calendar API stub accepting the token 'google-access-token'."""
    yield from _serve(GoogleCalendarStub())


@pytest.fixture
def zoom_stub():
    """A Zoom API stub accepting the token 'zoom-access-token'."""
    yield from _serve(ZoomStub())


@pytest.fixture
def graph_stub():
    """A Microsoft Graph stub accepting the token 'graph-access-token'."""
    yield from _serve(GraphStub())


@pytest.fixture
def whereby_stub():
    """A Whereby API stub accepting the API key 'whereby-api-key'."""
    yield from _serve(WherebyStub())


@pytest.fixture
def zoom_oauth_stub(zoom_stub):
    """Zoom's token endpoint: Basic client auth, rotating refresh tokens, feeding zoom_stub."""
    yield from _serve(OAuthStub(auth_method="client_secret_basic", rotate_refresh_tokens=True,
                                access_tokens=zoom_stub.tokens))


@pytest.fixture
def google_oauth_stub(google_stub):
    """Google's token endpoint: client secret in the body, refresh tokens kept."""
    yield from _serve(OAuthStub(auth_method="client_secret_post", access_tokens=google_stub.tokens))


@pytest.fixture
def graph_oauth_stub(graph_stub):
    """Microsoft's token endpoint: secret in the body, rotating refresh tokens, feeding graph_stub."""
    yield from _serve(OAuthStub(auth_method="client_secret_post", rotate_refresh_tokens=True,
                                access_tokens=graph_stub.tokens))


@pytest.fixture
def make_request():
    """Build a webapp.meetings.MeetingRequest with defaults; a test states only what matters."""
    from webapp.meetings import MeetingRequest

    def make(**fields):
        fields.setdefault("start", _START)
        fields.setdefault("end", fields["start"] + timedelta(minutes=45))
        defaults = dict(request_id="bk_7f3a9c2e", title="Consultation with Ada",
                        description="Booked through StudiocentOS", timezone="Europe/Rome",
                        attendee_email="ada@example.com", attendee_name="Ada Lovelace")
        return MeetingRequest(**{**defaults, **fields})

    return make
