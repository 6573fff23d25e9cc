"""`flask serve`'s demo partner page: another origin, embedding the widget from the site."""
import socket
import urllib.request

import pytest

from webapp.embed.demo import start_demo
from webapp.services.settings import get_settings


@pytest.fixture
def app_config() -> dict:
    """No partner configured yet, as on a fresh laptop."""
    return {"EMBED_ALLOWED_ORIGINS": []}


def test_demo_page_embeds_the_widget_and_its_origin_is_allowed_in_development(app):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = start_demo("http://127.0.0.1:5000", port)
    assert url == f"http://localhost:{port}/"
    page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
    assert '<script src="http://127.0.0.1:5000/embed.js" async></script>' in page
    assert page.count("data-booking-widget") == 2
    assert get_settings().embed_allowed_origins == [f"http://localhost:{port}"]
