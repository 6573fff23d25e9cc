"""Unknown, malformed and long-over manage tokens all get the same 404."""
from datetime import timedelta

import pytest

from tests.conftest import csrf_from
from tests.integration.manage.conftest import NOW
from webapp.extensions import db
from webapp.models import Booking
from webapp.services.tokens import manage_token

PATHS = ["/manage/{}", "/manage/{}/booking.ics", "/manage/{}/cancel", "/manage/{}/reschedule",
         "/manage/{}/reschedule/confirm?start=2026-12-01T09:00:00%2B00:00&tz=UTC&duration=30"]


@pytest.fixture
def app_config():
    """Serve the manage pages as in production, with a clock pushed far ahead when asked."""
    clock = {"now": NOW}
    return {"CLOCK": lambda: clock["now"], "TEST_CLOCK": clock}


def bad_tokens(app, book) -> dict[str, str]:
    """Return tokens of every kind that must not open anything."""
    _, real = book(NOW + timedelta(days=5))
    return {
        "unknown": manage_token("no-such-booking-uid"),
        "one character changed": real[:-1] + ("A" if real[-1] != "A" else "B"),
        "too short": "abc",
        "too long": "x" * 300,
        "odd characters": "%27%22<script>",  # a NUL is refused earlier (tests/integration/app/test_request_guard.py)
    }


def test_bad_tokens_get_identical_404_pages(app, client, book):
    bodies = set()
    for kind, token in bad_tokens(app, book).items():
        for path in PATHS:
            response = client.get(path.format(token))
            assert response.status_code == 404, (kind, path)
            assert response.headers["Referrer-Policy"] == "no-referrer"
            bodies.add(response.data)
    assert len(bodies) == 1


def test_posts_with_bad_tokens_get_the_same_404_and_change_nothing(app, client, book):
    booking, real = book(NOW + timedelta(days=5))
    before = (booking.status, booking.scheduled_at, booking.version)
    csrf = csrf_from(client.get("/manage/lost").text)
    unknown = manage_token("no-such-booking-uid")
    near_miss = real[:-1] + ("A" if real[-1] != "A" else "B")
    answers = []
    for token in (unknown, near_miss):
        answers.append(client.post(f"/manage/{token}/cancel", data={"csrf_token": csrf}))
        answers.append(client.post(f"/manage/{token}/reschedule", data={"csrf_token": csrf,
                                   "start": (NOW + timedelta(days=6)).isoformat(), "tz": "UTC",
                                   "duration": "30"}))
    assert {answer.status_code for answer in answers} == {404}
    assert {answer.data for answer in answers} == {client.get(f"/manage/{unknown}").data}
    stored = db.session.get(Booking, booking.id, populate_existing=True)
    assert (stored.status, stored.scheduled_at, stored.version) == before
    assert client.get(f"/manage/{real}").status_code == 200  # the real link still opens it


def test_links_stop_opening_thirty_days_after_the_meeting(app, client, book):
    booking, token = book(NOW + timedelta(days=5))
    unknown = client.get(f"/manage/{manage_token('nobody')}").data
    app.config["TEST_CLOCK"]["now"] = booking.ends_at + timedelta(days=29)
    assert client.get(f"/manage/{token}").status_code == 200
    app.config["TEST_CLOCK"]["now"] = booking.ends_at + timedelta(days=31)
    expired = client.get(f"/manage/{token}")
    assert expired.status_code == 404 and expired.data == unknown


def test_links_of_bookings_cancelled_long_ago_stop_opening(app, client, book):
    booking, token = book(NOW + timedelta(days=5))  # its meeting ends 35 days from now
    csrf = csrf_from(client.get(f"/manage/{token}/cancel").text)
    client.post(f"/manage/{token}/cancel", data={"csrf_token": csrf})
    app.config["TEST_CLOCK"]["now"] = NOW + timedelta(days=20)
    assert client.get(f"/manage/{token}").status_code == 200
    app.config["TEST_CLOCK"]["now"] = NOW + timedelta(days=31)
    assert client.get(f"/manage/{token}").status_code == 404
