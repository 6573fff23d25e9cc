"""A partner asks for the Italian widget (data-locale="it"): an English browser books through it in
Italian, without a cookie, and the booking keeps Italian for its emails."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import serving
from tests.e2e.axe import browser_in_rome, check_page
from webapp.embed.demo import serve_page
from webapp.extensions import db
from webapp.models import Booking

PARTNER_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title></head>
<body><main><h1>A partner's page</h1>
<div id="inline-widget" data-booking-widget data-service="consultation" data-locale="it"></div>
<div id="popup-widget" data-booking-widget data-mode="popup" data-locale="it-IT"></div>
<script src="{origin}/embed.js" async></script></main></body></html>"""


@pytest.fixture
def partner():
    """The partner's site, on an origin of its own."""
    server = serve_page(b"")
    yield server
    server.shutdown()


@pytest.fixture
def app_config(app_port, partner) -> dict:
    """The site lives at http://localhost:PORT and lets the partner frame it."""
    return {"BASE_URL": f"http://localhost:{app_port}",
            "EMBED_ALLOWED_ORIGINS": [f"http://127.0.0.1:{partner.server_port}"]}


@pytest.fixture
def partner_url(app, app_port, partner) -> str:
    """Serve the site on localhost:PORT and the partner page that embeds it in Italian."""
    partner.page = PARTNER_PAGE.format(origin=app.config["BASE_URL"]).encode()
    with serving(app, app_port):
        yield f"http://127.0.0.1:{partner.server_port}/"


@pytest.fixture
def browser_context_args(browser_context_args):
    """An American English browser (the widget's language must come from the partner), axe allowed."""
    return browser_in_rome(browser_context_args, "en-US")


def test_an_italian_widget_books_in_italian_for_an_english_browser(page: Page, partner_url):
    page.goto(partner_url)
    expect(page.locator("#inline-widget")).to_have_attribute("data-booking-state", "ready")
    expect(page.get_by_role("button", name="Prenota un incontro")).to_be_visible()  # the popup's opener
    widget = page.frame_locator("#inline-widget iframe")
    expect(widget.locator("html")).to_have_attribute("lang", "it")

    title = widget.locator(".month-title").inner_text()
    widget.get_by_role("link", name="Mese successivo ›").click()
    expect(widget.locator(".month-title")).not_to_have_text(title)
    widget.locator("td.open a").first.click()
    times = widget.locator("a.time")
    expect(times.first).to_be_visible()
    assert all(re.fullmatch(r"\d\d:\d\d", label) for label in times.all_inner_texts())
    times.first.click()

    widget.get_by_label("Il tuo nome").fill("Giulia Bianchi")
    widget.get_by_role("textbox", name="Email").fill("giulia@example.com")
    frame = page.locator("#inline-widget iframe").element_handle().content_frame()
    check_page(frame, "widget details form (it)")
    widget.get_by_role("button", name="Prenota questo orario").click()
    expect(widget.get_by_role("heading", level=1)).to_have_text("La tua prenotazione è confermata")

    db.session.remove()
    assert db.session.scalar(db.select(Booking)).locale == "it"
    assert page.context.cookies() == [], "the language travels in the frame's URL, never in a cookie"
