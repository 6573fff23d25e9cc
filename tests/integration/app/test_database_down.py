"""While the database does not answer: the site's own 503 page with Retry-After, the API's JSON."""
import pytest

from tests.conftest import base_config
from webapp import create_app


@pytest.fixture
def client(tmp_path):
    """A client of an app whose database file cannot be opened (as if the server were down)."""
    url = f"sqlite:///{tmp_path / 'missing-dir' / 'booking.db'}"
    app = create_app({**base_config(tmp_path, url), "BUSINESS_NAME": "Studio Down",
                      "UNAVAILABLE_RETRY_AFTER": 17})
    return app.test_client()


def test_a_page_is_the_sites_503_page_with_retry_after(client):
    response = client.get("/")

    assert response.status_code == 503 and response.headers["Retry-After"] == "17"
    page = response.get_data(as_text=True)
    assert "Briefly unavailable" in page and "Studio Down" in page  # the layout, from config


def test_the_api_answers_json_503_with_retry_after(client):
    response = client.post("/api/v1/booking/calendar/availability", json={})

    assert response.status_code == 503 and response.headers["Retry-After"] == "17"
    assert response.get_json()["error"]["code"] == "service_unavailable"


def test_the_admin_login_page_is_the_503_page_too(client):
    response = client.post("/admin/login", data={"username": "a", "password": "b"})

    assert response.status_code in (400, 503)  # CSRF may refuse first; never a 500
