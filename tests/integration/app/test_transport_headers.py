"""HSTS whenever the site is on HTTPS, and Retry-After on every 429, page or API."""
import pytest
from flask import abort

from tests.conftest import csrf_from

LOGIN = {"email": "nobody@example.com", "password": "wrong password"}


@pytest.fixture
def app_config() -> dict:
    """Rate limits on, small enough to reach in a test."""
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
            "ADMIN_LOGIN_RATE_LIMIT": "2/minute", "API_READ_RATE_LIMIT": "2/minute"}


def test_no_hsts_on_plain_http_without_secure_cookies(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_hsts_when_served_over_https(client):
    response = client.get("/", base_url="https://book.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_hsts_when_session_cookies_are_secure(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    assert "max-age=" in client.get("/admin/login").headers["Strict-Transport-Security"]


def test_a_limited_login_page_says_when_to_retry(client):
    token = csrf_from(client.get("/admin/login").get_data(as_text=True))
    answers = [client.post("/admin/login", data={**LOGIN, "csrf_token": token}) for _ in range(3)]
    assert answers[-1].status_code == 429
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 61


def test_a_limited_api_call_says_when_to_retry_in_json(client):
    body = {"start_date": "2030-01-07", "end_date": "2030-01-08"}
    answers = [client.post("/api/v1/booking/calendar/availability", json=body) for _ in range(3)]
    assert answers[-1].status_code == 429 and answers[-1].is_json
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 61


def test_a_429_raised_by_a_view_gets_a_retry_after_too(app, client):
    app.add_url_rule("/busy", "busy", lambda: abort(429))
    response = client.get("/busy")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
