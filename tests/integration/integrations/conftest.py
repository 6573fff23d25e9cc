"""Fixtures: every provider's API and OAuth stubs, and an app configured against them."""
import pytest

from tests.integration.integrations.support import provider_config
from tests.stubs.fixtures import (  # noqa: F401  (fixtures are used by name)
    google_oauth_stub,
    google_stub,
    graph_oauth_stub,
    graph_stub,
    whereby_stub,
    zoom_oauth_stub,
    zoom_stub,
)


@pytest.fixture
def stubs(google_stub, zoom_stub, graph_stub, whereby_stub,
          google_oauth_stub, zoom_oauth_stub, graph_oauth_stub):
    """The API stub and OAuth stub (None for Whereby) of each provider key."""
    return {"google_meet": (google_stub, google_oauth_stub), "zoom": (zoom_stub, zoom_oauth_stub),
            "teams": (graph_stub, graph_oauth_stub), "whereby": (whereby_stub, None)}


@pytest.fixture
def app_config(stubs):
    """Point every provider at its stubs; tokens encrypted with a test key."""
    return provider_config({k: api for k, (api, _) in stubs.items()},
                           {k: oauth for k, (_, oauth) in stubs.items() if oauth})
