"""Booking limits count what they protect: one counter per client address for every channel,
and a limit on the bookings made for one email address, however it is spelled."""
import pytest

from tests.conftest import csrf_from
from tests.integration.api.conftest import API, NOW, SEED_BOOKING
from tests.integration.embed.support import PARTNER, first_time_link, form_fields, post
from webapp.extensions import db
from webapp.models import Booking


def limits(booking: str = "1000/minute", per_recipient: str = "1000/hour") -> dict:
    """App config with the limiter on and the two booking limits given."""
    return {"CLOCK": lambda: NOW, "EMBED_ALLOWED_ORIGINS": [PARTNER], "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://", "BOOKING_RATE_LIMIT": booking,
            "BOOKING_PER_RECIPIENT_LIMIT": per_recipient, "API_WRITE_RATE_LIMIT": "1000/minute"}


def api_book(client, hour_minute: str, email: str = "mario@example.com"):
    """Book the seed's body at `hour_minute` on 5 November 2025 through the API."""
    body = {**SEED_BOOKING, "meeting_provider": "jitsi", "client_email": email,
            "scheduled_at": f"2025-11-05T{hour_minute}:00"}
    return client.post(f"{API}/bookings", json=body)


def site_post(client, email: str, **fields):
    """Post the site's details form for a free time (valid CSRF token)."""
    url = first_time_link(client).replace("/embed/default", "")
    page = client.get(url).text
    data = {**form_fields(page), "csrf_token": csrf_from(page), "client_email": email, **fields}
    return client.post(url.split("?")[0], data=data)


def widget_post(client, email: str):
    """Post the widget's details form for a free time, as its frame does."""
    url = first_time_link(client)
    return post(client, url, {**form_fields(client.get(url).text), "client_email": email})


def bookings_for(email: str) -> int:
    """Count the bookings stored for `email`."""
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count(Booking.id)).where(Booking.client_email == email))


class TestOneCounterForEveryChannel:
    """The site, the widget and the API draw on one booking counter per client address."""

    @pytest.fixture
    def app_config(self):
        """Three booking posts a minute, wherever they come from."""
        return limits(booking="3/minute")

    def test_the_fourth_post_is_refused_whichever_channel_it_uses(self, client):
        codes = [site_post(client, "bad").status_code, widget_post(client, "bad").status_code,
                 api_book(client, "09:00", "bad").status_code]
        assert codes == [422, 422, 422]
        assert site_post(client, "ada@example.com").status_code == 429
        assert widget_post(client, "ada@example.com").status_code == 429
        refused = api_book(client, "09:30")
        assert refused.status_code == 429 and refused.json["error"]["code"] == "too_many_requests"
        assert bookings_for("ada@example.com") == bookings_for("mario@example.com") == 0


class TestPerRecipientAddress:
    """Bookings made for one client email are limited, across spellings and channels."""

    @pytest.fixture
    def app_config(self):
        """Two bookings an hour for one email address."""
        return limits(per_recipient="2/hour")

    def test_a_third_booking_for_one_inbox_is_refused_with_a_clear_answer(self, client):
        assert [api_book(client, t).status_code for t in ("09:00", "09:30")] == [201, 201]
        refused = api_book(client, "10:00", "MARIO@exａmple.com")
        assert refused.status_code == 429
        assert "Too many bookings were made for this email address" in refused.json["error"]["message"]
        page = site_post(client, "Mario@Example.com")
        assert page.status_code == 429 and "Too many bookings were made for this email" in page.text
        assert widget_post(client, "mario@example.com").status_code == 429
        assert bookings_for("mario@example.com") == 2
        assert api_book(client, "10:00", "luigi@example.com").status_code == 201

    def test_refused_attempts_do_not_use_up_someone_elses_address(self, client):
        for _ in range(3):  # an attacker posting refused bookings in the victim's name
            assert site_post(client, "mario@example.com", client_name="").status_code == 422
            assert api_book(client, "03:00").status_code == 409  # outside the schedule
        assert api_book(client, "09:00").status_code == 201
        assert site_post(client, "mario@example.com").status_code == 303
