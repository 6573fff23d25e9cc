"""Manage lookups and lost-link requests are rate-limited (Flask-Limiter, memory storage)."""
from datetime import date

import pytest

from tests.conftest import csrf_from
from tests.integration.manage.conftest import NOW, rome
from tests.integration.manage.test_lost_link import queued_links
from webapp.services.tokens import manage_token


@pytest.fixture
def app_config():
    """Turn the limiter on with small limits."""
    return {"CLOCK": lambda: NOW, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
            "MANAGE_LOOKUP_RATE_LIMIT": "5/minute", "MANAGE_LOST_RATE_LIMIT": "50/minute",
            "MANAGE_LOST_PER_ADDRESS_LIMIT": "2/hour"}


def test_token_guessing_is_cut_off_after_the_limit(client):
    codes = [client.get(f"/manage/{manage_token(f'guess-{n}')}").status_code for n in range(7)]
    assert codes == [404] * 5 + [429] * 2


def test_lost_link_requests_for_one_address_are_limited(client):
    csrf = csrf_from(client.get("/manage/lost").text)
    codes = [client.post("/manage/lost", data={"csrf_token": csrf, "email": "mario@example.com"}
                         ).status_code for _ in range(3)]
    other = client.post("/manage/lost", data={"csrf_token": csrf, "email": "luigi@example.com"})
    assert codes == [200, 200, 429] and other.status_code == 200


def test_spelling_an_address_differently_does_not_reset_its_lost_link_limit(client, book):
    book(rome(date(2026, 11, 30), 10))
    csrf = csrf_from(client.get("/manage/lost").text)
    variants = ["mario@example.com", "MARIO@Example.COM", "mario@exａmple.com", "ｍario@example.com"]
    codes = [client.post("/manage/lost", data={"csrf_token": csrf, "email": email}).status_code
             for email in variants]
    assert codes == [200, 200, 429, 429]
    assert len(queued_links()) == 2
