"""CORS for configured origins, the health check's 503, rate limits and the docs page."""
import pytest

from tests.conftest import base_config
from tests.integration.api.conftest import API, NOW, SEED_AVAILABILITY, SEED_BOOKING
from webapp import create_app
from webapp.extensions import db

PARTNER = "https://www.partner.example"


@pytest.fixture
def app_config():
    """Allow one partner origin and limit API writes to two a minute."""
    return {"CLOCK": lambda: NOW, "API_CORS_ORIGINS": [PARTNER], "RATELIMIT_ENABLED": True,
            "API_WRITE_RATE_LIMIT": "2/minute", "API_READ_RATE_LIMIT": "3/minute"}


def test_preflight_from_a_configured_origin_is_allowed(client):
    response = client.options(f"{API}/bookings", headers={
        "Origin": PARTNER, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, idempotency-key"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == PARTNER
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Idempotency-Key" in response.headers["Access-Control-Allow-Headers"]
    assert "Origin" in response.headers["Vary"]


def test_a_configured_origin_can_read_answers_and_errors(client):
    ok = client.post(f"{API}/calendar/availability", json=SEED_AVAILABILITY, headers={"Origin": PARTNER})
    refused = client.post(f"{API}/bookings", json={}, headers={"Origin": PARTNER})
    assert ok.headers["Access-Control-Allow-Origin"] == PARTNER
    assert refused.status_code == 422 and refused.headers["Access-Control-Allow-Origin"] == PARTNER


def test_other_origins_get_no_cors_headers(client):
    response = client.options(f"{API}/bookings", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_writes_beyond_the_limit_get_429_json(client):
    answers = [client.post(f"{API}/bookings", json={}).status_code for _ in range(3)]
    assert answers == [422, 422, 429]
    limited = client.post(f"{API}/bookings", json=SEED_BOOKING)
    assert limited.status_code == 429 and limited.json["error"]["code"] == "too_many_requests"


def test_availability_searches_are_limited_too(client):
    answers = [client.post(f"{API}/calendar/availability", json=SEED_AVAILABILITY).status_code
               for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_health_is_503_when_the_database_is_unreachable(tmp_path):
    missing = tmp_path / "no-such-dir" / "booking.db"
    app = create_app({**base_config(tmp_path, f"sqlite:///{missing}")})
    response = app.test_client().get(f"{API}/health")
    assert response.status_code == 503
    assert response.json["status"] == "unhealthy" and response.json["database"] == "unreachable"
    assert response.json["service"] == "booking"


def test_health_reports_an_unreachable_queue_as_degraded(tmp_path, app):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = app.test_client().get(f"{API}/health")
    assert response.status_code == 200
    assert response.json["queue"] == "unreachable" and response.json["status"] == "degraded"


def test_the_docs_page_describes_every_endpoint(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    for path in ("/calendar/availability", "/bookings", "/bookings/{public_id}/cancel", "/health"):
        assert f"/api/v1/booking{path}" in page
    assert "Idempotency-Key" in page and "openapi.json" in page


def test_the_openapi_document_is_3_1_and_lists_the_seed_paths(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.1")
    assert set(spec["paths"]) == {f"/api/v1/booking{p}" for p in (
        "/calendar/availability", "/bookings", "/bookings/{public_id}",
        "/bookings/{public_id}/cancel", "/health", "/hosts")}  # hosts: issue 17


def test_with_the_rate_limit_storage_down_requests_are_limited_in_memory_and_health_says_so(
        tmp_path, caplog):
    app = create_app({**base_config(tmp_path, f"sqlite:///{tmp_path / 'limits.db'}"),
                      "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"})
    with app.app_context():
        db.create_all()
    client = app.test_client()

    answer = client.post(f"{API}/calendar/availability", json={})
    health = client.get(f"{API}/health")

    assert answer.status_code == 422  # the request reached the API (not a 500 from the limiter)
    assert "falling back to in-memory storage" in caplog.text
    assert health.json["rate_limits"] == "fallback" and health.json["status"] == "degraded"
