"""Fixtures for the widget route tests."""
import pytest

from tests.integration.embed.support import PARTNER, first_time_link, form_fields


@pytest.fixture
def app_config() -> dict:
    """One partner may frame the widget; forms last 30 minutes."""
    return {"EMBED_ALLOWED_ORIGINS": [PARTNER], "EMBED_FORM_TOKEN_MINUTES": 30}


@pytest.fixture
def details(client):
    """GET the details form of a free time; return its URL and posted fields."""
    url = first_time_link(client)
    response = client.get(url)
    assert response.status_code == 200
    return url, form_fields(response.get_data(as_text=True))
