"""Branding set once in the admin settings shows on the site, in the widget and in the emails."""
from datetime import datetime, timezone

import pytest

from tests.factories import store_booking
from tests.integration.admin.conftest import post_form
from tests.integration.admin.test_admin_pages import SETTINGS
from webapp.extensions import db
from webapp.mail import messages
from webapp.outbox.actions import mail_settings
from webapp.services.settings import get_settings

BRAND = {**SETTINGS, "business_name": "Studio Verde", "logo_url": "https://cdn.example/logo.png",
         "accent_color": "#1e6b3a", "embed_allowed_origins": "https://partner.example"}


@pytest.fixture
def branded(admin_client):
    """The admin has saved a name, a logo and a dark green accent."""
    assert post_form(admin_client, "/admin/settings", BRAND).status_code == 303
    db.session.rollback()
    return admin_client


def test_the_site_shows_the_name_logo_and_accent(branded):
    html = branded.get("/book/consultation").get_data(as_text=True)
    assert 'src="https://cdn.example/logo.png"' in html and "Studio Verde" in html
    assert 'href="/brand.css?v=1e6b3a"' in html
    css = branded.get("/brand.css?v=1e6b3a")
    assert css.mimetype == "text/css" and b"--accent: #1e6b3a" in css.data and b"--accent-strong: #" in css.data
    assert "https:" in branded.get("/").headers["Content-Security-Policy"].split("img-src")[1].split(";")[0]


def test_the_site_keeps_its_own_stylesheet_without_a_brand_colour(client):
    assert "brand.css" not in client.get("/").get_data(as_text=True)


def test_the_widget_takes_the_admin_colour_unless_the_partner_names_one(branded):
    plain = branded.get("/embed/default/book/consultation?tz=Europe/Rome").get_data(as_text=True)
    assert 'href="/embed/default/theme.css?v=1e6b3a"' in plain and "Studio Verde" in plain
    assert b"--accent: #1e6b3a" in branded.get("/embed/default/theme.css?v=1e6b3a").data
    partner = branded.get("/embed/7a3e9d/book/consultation?tz=Europe/Rome").get_data(as_text=True)
    assert 'href="/embed/7a3e9d/theme.css?v=7a3e9d"' in partner


def test_emails_carry_the_name_and_colour(branded):
    booking = store_booking(scheduled_at=datetime(2030, 1, 7, 9, tzinfo=timezone.utc))
    email = messages.confirmation(booking, settings=mail_settings(), manage_url="https://x.example/m",
                                  now=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert "Studio Verde" in email.html and "border-top:6px solid #1e6b3a" in email.html
    assert "background:#1e6b3a" in email.html  # the manage button


@pytest.mark.parametrize("changes, message", [
    ({"accent_color": "#ffdd00"}, "too faint"),
    ({"accent_color": "green"}, "Use a colour such as"),
    ({"logo_url": "javascript:alert(1)"}, "https://"),
    ({"logo_url": "//evil.example/logo.png"}, "https://"),
])
def test_an_unreadable_colour_or_an_unsafe_logo_is_refused(admin_client, changes, message):
    before = get_settings()
    response = post_form(admin_client, "/admin/settings", {**BRAND, **changes})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.rollback()
    assert get_settings() == before
