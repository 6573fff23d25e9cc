"""The seed's documented requests get the seed's documented answers, field for field."""
import asyncio
import re
import textwrap
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from tests.factories import create_block
from tests.integration.api.conftest import API, SEED_AVAILABILITY, SEED_BOOKING
from webapp.extensions import db
from webapp.models import OutboxMessage

SEED_DOC = Path(__file__).resolve().parents[4] / "shared" / "seed" / "booking-system.md"
SEED_CREATED = {"id", "client_name", "client_email", "service_type", "title", "scheduled_at",
                "duration_minutes", "status", "meeting_provider", "meeting_url", "created_at"}
SEED_GET = SEED_CREATED | {"client_phone", "meeting_id", "reminder_sent"}
UTC_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
#: the seed's "Python Integration" example, exactly as written there
SEED_PYTHON_EXAMPLE = '''\
import httpx
from datetime import datetime, timedelta

# Get availability
async with httpx.AsyncClient() as client:
    response = await client.post(
        'http://localhost:8000/api/v1/booking/calendar/availability',
        json={
            'start_date': datetime.now().isoformat(),
            'end_date': (datetime.now() + timedelta(days=7)).isoformat(),
            'service_type': 'consultation',
            'timezone': 'Europe/Rome'
        }
    )
    availability = response.json()

# Create booking
async with httpx.AsyncClient() as client:
    response = await client.post(
        'http://localhost:8000/api/v1/booking/bookings',
        json={
            'client_name': 'Mario Rossi',
            'client_email': 'mario@example.com',
            'service_type': 'consultation',
            'title': 'Consulenza',
            'scheduled_at': '2025-11-05T09:00:00',
            'duration_minutes': 30,
            'timezone': 'Europe/Rome',
            'meeting_provider': 'google_meet'
        }
    )
    booking = response.json()
    print(f"Meeting URL: {booking['meeting_url']}")
'''


def test_seed_availability_example_answers_the_seed_shape(client):
    response = client.post(f"{API}/calendar/availability", json=SEED_AVAILABILITY)
    assert response.status_code == 200
    body = response.json
    assert {"availability", "blocked_dates", "bookings_count"} <= set(body)
    days = body["availability"]
    assert [day["date"] for day in days] == [f"2025-11-{d:02d}" for d in range(5, 13)]
    first = days[0]
    assert first["total_available"] == len(first["slots"]) == 16  # 09:00-17:00 every 30 minutes
    assert first["slots"][0] == {"datetime": "2025-11-05T09:00:00", "duration_minutes": 30,
                                 "service_type": "consultation", "available": True}
    assert days[3]["date"] == "2025-11-08" and days[3]["slots"] == []  # a Saturday
    assert body["blocked_dates"] == [] and body["bookings_count"] == 0


def test_blocked_days_and_bookings_are_reported_like_the_seed(client):
    create_block(blocked_date=date(2025, 11, 11))
    assert client.post(f"{API}/bookings", json=SEED_BOOKING).status_code == 201
    body = client.post(f"{API}/calendar/availability", json=SEED_AVAILABILITY).json
    assert body["blocked_dates"] == ["2025-11-11"]
    assert body["bookings_count"] == 1
    days = {day["date"]: day for day in body["availability"]}
    assert days["2025-11-11"]["slots"] == []
    assert "2025-11-05T09:00:00" not in [s["datetime"] for s in days["2025-11-05"]["slots"]]
    assert days["2025-11-05"]["total_available"] == 15


def test_seed_create_example_answers_201_with_the_seed_fields(client):
    response = client.post(f"{API}/bookings", json=SEED_BOOKING)
    assert response.status_code == 201
    body = response.json
    assert SEED_CREATED | {"uid", "manage_url"} <= set(body)
    assert body["id"] == body["uid"]  # anonymous callers never see the integer id
    assert {k: body[k] for k in ("client_name", "client_email", "service_type", "title",
                                 "scheduled_at", "duration_minutes", "status", "meeting_provider")} == {
        "client_name": "Mario Rossi", "client_email": "mario@example.com",
        "service_type": "consultation", "title": "Consulenza StudiocentOS Framework",
        "scheduled_at": "2025-11-05T09:00:00", "duration_minutes": 30, "status": "pending",
        "meeting_provider": "google_meet"}
    assert body["scheduled_at_utc"] == "2025-11-05T08:00:00Z"
    assert UTC_STAMP.match(body["created_at"])
    assert body["manage_url"].startswith("http://localhost/manage/")
    assert response.headers["Location"] == f"{API}/bookings/{body['uid']}"


def test_seed_get_example_answers_the_seed_fields(client):
    uid = client.post(f"{API}/bookings", json=SEED_BOOKING).json["uid"]
    response = client.get(f"{API}/bookings/{uid}")
    assert response.status_code == 200
    body = response.json
    assert set(body) >= SEED_GET
    assert body["client_phone"] == "+39 123 456 7890"
    assert body["reminder_sent"] is False and body["meeting_id"] is None
    assert "manage_url" not in body  # the private link is given once, to whoever booked


def test_seed_cancel_example_answers_the_seed_fields_and_is_idempotent(client):
    uid = client.post(f"{API}/bookings", json=SEED_BOOKING).json["uid"]
    first = client.post(f"{API}/bookings/{uid}/cancel",
                        json={"cancellation_reason": "Cliente ha cambiato idea"})
    assert first.status_code == 200
    assert {"id", "status", "cancellation_reason", "cancelled_at"} <= set(first.json)
    assert first.json["status"] == "cancelled"
    assert first.json["cancellation_reason"] == "Cliente ha cambiato idea"
    assert first.json["cancelled_at"] == "2025-11-04T08:00:00Z"
    again = client.post(f"{API}/bookings/{uid}/cancel", json={"cancellation_reason": "again"})
    assert again.status_code == 200 and again.json == first.json
    # the slot is free again
    assert client.post(f"{API}/bookings", json=SEED_BOOKING).status_code == 201


def test_cancel_writes_one_cancellation_notice(client):
    uid = client.post(f"{API}/bookings", json=SEED_BOOKING).json["uid"]
    client.post(f"{API}/bookings/{uid}/cancel", json={})
    client.post(f"{API}/bookings/{uid}/cancel")
    kinds = db.session.scalars(db.select(OutboxMessage.kind)).all()
    assert kinds.count("cancellation") == 1


def test_seed_health_example(client):
    response = client.get(f"{API}/health")
    assert response.status_code == 200
    # the seed's fields, plus where rate limits are kept (issue 13: "fallback" while Redis is down)
    assert response.json == {"status": "healthy", "service": "booking", "version": "1.0.0",
                             "database": "ok", "queue": "in-process", "rate_limits": "in-process"}


def test_seed_frontend_fetch_example_books(client):
    """The seed's TypeScript example: availability, then a booking without phone or notes."""
    availability = client.post(f"{API}/calendar/availability", json={
        "start_date": "2025-11-05", "end_date": "2025-11-12", "service_type": "consultation",
        "timezone": "Europe/Rome"}).json["availability"]
    assert availability
    booking = client.post(f"{API}/bookings", json={
        "client_name": "Mario Rossi", "client_email": "mario@example.com",
        "service_type": "consultation", "title": "Consulenza Framework",
        "scheduled_at": "2025-11-05T09:00:00", "duration_minutes": 30,
        "timezone": "Europe/Rome", "meeting_provider": "google_meet"})
    assert booking.status_code == 201 and "meeting_url" in booking.json


def test_python_example_is_the_seeds_own():
    """The copy below is the seed's text (checked when the seed is beside the repository)."""
    if SEED_DOC.exists():
        assert SEED_PYTHON_EXAMPLE in SEED_DOC.read_text()


def run_python_example(code: str, server: str) -> tuple[dict, dict]:
    """Run the seed's Python example `code` against `server`; return its two answers."""
    namespace: dict = {}
    exec("async def seed_example():\n"
         + textwrap.indent(code.replace("http://localhost:8000", server), "    ")
         + "    return availability, booking\n", namespace)
    # A thread of its own: Playwright's sync API may keep an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, namespace["seed_example"]()).result()


def test_seed_python_example_runs_against_a_live_server(live_server, capsys):
    availability, booking = run_python_example(SEED_PYTHON_EXAMPLE, live_server)
    assert set(availability) >= {"availability", "blocked_dates", "bookings_count"}
    assert booking["status"] == "pending" and booking["scheduled_at"] == "2025-11-05T09:00:00"
    assert capsys.readouterr().out.startswith("Meeting URL: ")
