"""Every bad request gets its 4xx JSON error, and nothing is stored, cancelled or queued."""
import json

import pytest

from tests.integration.api.conftest import API, SEED_AVAILABILITY, SEED_BOOKING, snapshot

BOOKINGS = f"{API}/bookings"
AVAILABILITY = f"{API}/calendar/availability"
JSON = "application/json"


def booking(**changes) -> dict:
    """Return the seed's booking body with some fields changed (None removes one)."""
    body = {**SEED_BOOKING, "scheduled_at": "2025-11-06T10:00:00", **changes}
    return {k: v for k, v in body.items() if v is not None}


def availability(**changes) -> dict:
    """Return the seed's availability body with some fields changed."""
    return {**SEED_AVAILABILITY, **changes}


def nested(depth: int) -> str:
    """Return a JSON value nested `depth` arrays deep."""
    return "[" * depth + "]" * depth


# (name, method, path, request kwargs, expected status, field expected in error.fields)
CASES = [
    ("malformed JSON", "post", BOOKINGS, dict(data="{'client_name':", content_type=JSON), 400, None),
    ("form-encoded body", "post", BOOKINGS, dict(data={"client_name": "Mario"}), 415, None),
    ("JSON sent as text/plain", "post", BOOKINGS,
     dict(data=json.dumps(SEED_BOOKING), content_type="text/plain"), 415, None),
    ("no body", "post", BOOKINGS, dict(), 415, None),
    ("array body", "post", BOOKINGS, dict(json=[SEED_BOOKING]), 422, "body"),
    ("string body", "post", BOOKINGS, dict(json="Mario Rossi"), 422, "body"),
    ("NaN is not JSON", "post", BOOKINGS,
     dict(data='{"duration_minutes": NaN}', content_type=JSON), 400, None),
    ("invalid UTF-8", "post", BOOKINGS, dict(data=b'{"client_name": "\xff\xfe"}', content_type=JSON),
     400, None),
    ("JSON nested 20000 deep", "post", BOOKINGS,
     dict(data='{"client_name": ' + nested(20000) + "}", content_type=JSON), 400, None),
    ("body over MAX_CONTENT_LENGTH", "post", BOOKINGS,
     dict(data=json.dumps(booking(description="x" * 70_000)), content_type=JSON), 413, None),
    ("empty object", "post", BOOKINGS, dict(json={}), 422, "client_name"),
    ("unknown service type", "post", BOOKINGS, dict(json=booking(service_type="massage")), 422,
     "service_type"),
    ("bad email", "post", BOOKINGS, dict(json=booking(client_email="mario@")), 422, "client_email"),
    ("zone not IANA", "post", BOOKINGS, dict(json=booking(timezone="Europe/Atlantis")), 422, "timezone"),
    ("zone of the wrong type", "post", BOOKINGS, dict(json=booking(timezone=1)), 422, "timezone"),
    ("duration not offered", "post", BOOKINGS, dict(json=booking(duration_minutes=45)), 422,
     "duration_minutes"),
    ("duration as text", "post", BOOKINGS, dict(json=booking(duration_minutes="30")), 422,
     "duration_minutes"),
    ("duration as boolean", "post", BOOKINGS, dict(json=booking(duration_minutes=True)), 422,
     "duration_minutes"),
    ("duration as fraction", "post", BOOKINGS, dict(json=booking(duration_minutes=30.5)), 422,
     "duration_minutes"),
    ("time in the past", "post", BOOKINGS, dict(json=booking(scheduled_at="2025-11-03T09:00:00")), 422,
     "scheduled_at"),
    ("time beyond the booking window", "post", BOOKINGS,
     dict(json=booking(scheduled_at="2026-06-03T09:00:00")), 422, "scheduled_at"),
    ("time skipped by DST", "post", BOOKINGS,
     dict(json=booking(scheduled_at="2026-03-29T02:30:00")), 422, "scheduled_at"),
    ("time as a number", "post", BOOKINGS, dict(json=booking(scheduled_at=1762329600)), 422,
     "scheduled_at"),
    ("time in words", "post", BOOKINGS, dict(json=booking(scheduled_at="tomorrow at nine")), 422,
     "scheduled_at"),
    ("date without a time", "post", BOOKINGS, dict(json=booking(scheduled_at="2025-11-06")), 422,
     "scheduled_at"),
    ("year 9999", "post", BOOKINGS, dict(json=booking(scheduled_at="9999-12-31T23:59:00")), 422,
     "scheduled_at"),
    ("trying to set status", "post", BOOKINGS, dict(json=booking(status="confirmed")), 422, "status"),
    ("trying to set id", "post", BOOKINGS, dict(json=booking(id=1)), 422, "id"),
    ("trying to set the meeting url", "post", BOOKINGS,
     dict(json=booking(meeting_url="https://evil.example/")), 422, "meeting_url"),
    ("huge name", "post", BOOKINGS, dict(json=booking(client_name="M" * 20_000)), 422, "client_name"),
    # refused before any view by webapp.request_guard (PostgreSQL text cannot hold a NUL)
    ("NUL in the name", "post", BOOKINGS, dict(json=booking(client_name="Mario\x00Rossi")), 400, None),
    ("newline in the name (header injection)", "post", BOOKINGS,
     dict(json=booking(client_name="Mario\r\nBcc: all@example.com")), 422, "client_name"),
    ("escape characters in notes", "post", BOOKINGS, dict(json=booking(client_notes="\x1b[31mred")),
     422, "client_notes"),
    ("name as an object", "post", BOOKINGS, dict(json=booking(client_name={"first": "Mario"})), 422,
     "client_name"),
    ("name as a nested list", "post", BOOKINGS, dict(json=booking(client_name=[["Mario"]])), 422,
     "client_name"),
    ("phone with letters", "post", BOOKINGS, dict(json=booking(client_phone="call me maybe")), 422,
     "client_phone"),
    ("provider not connected", "post", BOOKINGS, dict(json=booking(meeting_provider="zoom")), 422,
     "meeting_provider"),
    ("a Saturday is not a free slot", "post", BOOKINGS,
     dict(json=booking(scheduled_at="2025-11-08T10:00:00")), 409, None),
    ("a time between slots", "post", BOOKINGS, dict(json=booking(scheduled_at="2025-11-06T10:10:00")),
     409, None),
    ("an offset that lands at night", "post", BOOKINGS,
     dict(json=booking(scheduled_at="2025-11-06T10:00:00+09:00")), 409, None),
    ("duplicate booking of a taken slot", "post", BOOKINGS,
     dict(json=booking(scheduled_at="2025-11-05T09:00:00", client_email="other@example.com")), 409,
     None),
    ("overlapping a taken slot", "post", BOOKINGS,
     dict(json=booking(scheduled_at="2025-11-05T08:45:00", duration_minutes=30)), 409, None),
    ("idempotency key with spaces", "post", BOOKINGS,
     dict(json=booking(), headers={"Idempotency-Key": "a key"}), 422, "Idempotency-Key"),
    ("idempotency key too long", "post", BOOKINGS,
     dict(json=booking(), headers={"Idempotency-Key": "k" * 300}), 422, "Idempotency-Key"),
    ("wrong bearer token", "post", BOOKINGS,
     dict(json=booking(), headers={"Authorization": "Bearer not-a-real-token-at-all"}), 401, None),
    ("PUT on bookings", "put", BOOKINGS, dict(json=booking()), 405, None),
    ("DELETE a booking", "delete", f"{BOOKINGS}/{{uid}}", dict(), 405, None),
    ("unknown API path", "get", f"{API}/bookings/{{uid}}/invoice", dict(), 404, None),
    ("unknown uid", "get", f"{BOOKINGS}/AAAAAAAAAAAAAAAAAAAAAA", dict(), 404, None),
    ("numeric id without an admin token", "get", f"{BOOKINGS}/{{id}}", dict(), 404, None),
    ("very long id", "get", f"{BOOKINGS}/{'9' * 500}", dict(), 404, None),
    ("cancel an unknown uid", "post", f"{BOOKINGS}/AAAAAAAAAAAAAAAAAAAAAA/cancel", dict(json={}), 404,
     None),
    ("cancel by numeric id without a token", "post", f"{BOOKINGS}/{{id}}/cancel", dict(json={}), 404,
     None),
    ("cancel trying to set status", "post", f"{BOOKINGS}/{{uid}}/cancel",
     dict(json={"status": "completed"}), 422, "status"),
    ("cancel with a huge reason", "post", f"{BOOKINGS}/{{uid}}/cancel",
     dict(json={"cancellation_reason": "x" * 3000}), 422, "cancellation_reason"),
    ("cancel with a reason of the wrong type", "post", f"{BOOKINGS}/{{uid}}/cancel",
     dict(json={"cancellation_reason": ["no"]}), 422, "cancellation_reason"),
    ("cancel with a form body", "post", f"{BOOKINGS}/{{uid}}/cancel",
     dict(data={"cancellation_reason": "x"}), 415, None),
    ("availability range over 93 days", "post", AVAILABILITY,
     dict(json=availability(end_date="2026-03-01")), 422, "end_date"),
    ("availability end before start", "post", AVAILABILITY,
     dict(json=availability(end_date="2025-11-01")), 422, "end_date"),
    ("availability unknown service type", "post", AVAILABILITY,
     dict(json=availability(service_type="massage")), 422, "service_type"),
    ("availability zone not IANA", "post", AVAILABILITY, dict(json=availability(timezone="CEST")), 422,
     "timezone"),
    ("availability dates missing", "post", AVAILABILITY, dict(json={}), 422, "start_date"),
    ("availability date in year 1", "post", AVAILABILITY,
     dict(json=availability(start_date="0001-01-01")), 422, "start_date"),
    ("availability date as number", "post", AVAILABILITY, dict(json=availability(end_date=20251112)),
     422, "end_date"),
    ("availability unknown field", "post", AVAILABILITY, dict(json=availability(limit=5)), 422, "limit"),
    ("availability as a form", "post", AVAILABILITY, dict(data=SEED_AVAILABILITY), 415, None),
    ("availability by GET", "get", AVAILABILITY, dict(), 405, None),
]


@pytest.fixture
def existing(client):
    """A booking on the seed's slot (Wednesday 09:00), made through the API."""
    return client.post(BOOKINGS, json=SEED_BOOKING).json


def test_the_table_is_big_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("name, method, path, kwargs, status, field", CASES,
                         ids=[case[0] for case in CASES])
def test_bad_request_is_refused_and_changes_nothing(client, existing, admin_token, name, method,
                                                    path, kwargs, status, field):
    from webapp.services.bookings import booking_by_token

    numeric_id = booking_by_token(existing["uid"]).id  # anonymous creators get the manage token
    before = snapshot()
    response = getattr(client, method)(path.format(uid=existing["uid"], id=numeric_id), **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.is_json
    error = response.json["error"]
    assert set(error) == {"code", "message", "fields"} and error["message"]
    if field:
        assert field in error["fields"], error
    assert snapshot() == before


def test_a_dst_gap_is_explained(client):
    response = client.post(BOOKINGS, json=booking(scheduled_at="2026-03-29T02:30:00"))
    assert "does not exist in Europe/Rome" in response.json["error"]["fields"]["scheduled_at"]


def test_method_not_allowed_lists_the_allowed_methods(client):
    response = client.put(f"{API}/health")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


def test_pages_outside_the_api_still_get_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"
