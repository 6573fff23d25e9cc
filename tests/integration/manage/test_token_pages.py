"""Every page a booking token opens: one rate limit, one expiry, never cached."""
from datetime import date, timedelta

import pytest

from tests.factories import store_booking
from tests.integration.embed.support import PARTNER
from tests.integration.manage.conftest import NOW, rome
from webapp.services.tokens import manage_token

CONFIRMATIONS = ["/booking/{token}", "/embed/default/booking/{token}"]
TOKEN_PAGES = [*CONFIRMATIONS, "/manage/{token}", "/manage/{token}/booking.ics",
               "/manage/{token}/cancel", "/manage/{token}/reschedule"]


@pytest.fixture
def app_config():
    """Freeze the clock; let a partner frame the widget; a small lookup limit."""
    return {"CLOCK": lambda: NOW, "EMBED_ALLOWED_ORIGINS": [PARTNER], "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://", "MANAGE_LOOKUP_RATE_LIMIT": "8/minute"}


def stored_with_token(**fields) -> str:
    """Store a booking and return its manage token."""
    booking = store_booking(**fields)
    return manage_token(booking.uid)


@pytest.mark.parametrize("page", TOKEN_PAGES)
def test_every_token_page_is_never_cached_nor_referred(client, book, page):
    _booking, token = book(rome(date(2026, 12, 7), 10))
    response = client.get(page.format(token=token))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("page", CONFIRMATIONS)
def test_a_confirmation_stops_opening_30_days_after_a_cancellation(client, page):
    token = stored_with_token(status="cancelled", scheduled_at=NOW + timedelta(days=60),
                              cancelled_at=NOW - timedelta(days=40))
    recent = stored_with_token(status="cancelled", scheduled_at=NOW + timedelta(days=60),
                               cancelled_at=NOW - timedelta(days=20))
    assert client.get(page.format(token=token)).status_code == 404
    assert client.get(page.format(token=recent)).status_code == 200


@pytest.mark.parametrize("page", CONFIRMATIONS)
def test_a_confirmation_stops_opening_30_days_after_the_meeting(client, page):
    old = stored_with_token(status="completed", scheduled_at=NOW - timedelta(days=31))
    assert client.get(page.format(token=old)).status_code == 404


def test_guessing_tokens_is_cut_off_across_all_token_pages_together(client):
    guesses = [page.format(token=manage_token(f"guess-{n}"))
               for n, page in enumerate(CONFIRMATIONS * 4 + ["/manage/{token}"] * 2)]
    codes = [client.get(url).status_code for url in guesses]
    assert codes == [404] * 8 + [429] * 2
