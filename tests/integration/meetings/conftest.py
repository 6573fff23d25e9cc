"""Fixtures for the meeting-provider tests: stub servers and a request factory."""
from tests.stubs.fixtures import (  # noqa: F401  (fixtures are used by name)
    google_oauth_stub,
    google_stub,
    graph_stub,
    make_request,
    whereby_stub,
    zoom_oauth_stub,
    zoom_stub,
)
