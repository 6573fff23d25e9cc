"""The widget's booking posts are rate limited like the site's."""
import pytest

from tests.integration.embed.support import PARTNER, post


@pytest.fixture
def app_config() -> dict:
    """Turn the limiter on with a small booking limit."""
    return {"EMBED_ALLOWED_ORIGINS": [PARTNER], "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://", "BOOKING_RATE_LIMIT": "2/minute"}


def test_posts_are_rate_limited_as_on_the_site(client, details):
    url, data = details
    statuses = [post(client, url, {**data, "client_email": "bad"}).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]
