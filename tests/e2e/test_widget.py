"""A partner page on one origin books through the widget served from another, in Chromium."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import serving
from webapp.embed.demo import partner_page, serve_page
from webapp.extensions import db
from webapp.mail.references import booking_reference
from webapp.models import Booking

INLINE = "#inline-widget"


@pytest.fixture
def partners():
    """Two partner sites: one the admin allows, one a stranger."""
    servers = {"allowed": serve_page(b""), "stranger": serve_page(b"")}
    yield servers
    for server in servers.values():
        server.shutdown()


@pytest.fixture
def app_config(app_port, partners) -> dict:
    """The site lives at http://localhost:PORT and lets only the allowed partner frame it."""
    allowed = partners["allowed"].server_port
    return {"BASE_URL": f"http://localhost:{app_port}",
            "EMBED_ALLOWED_ORIGINS": [f"http://127.0.0.1:{allowed}"]}


@pytest.fixture
def partner_urls(app, app_port, partners) -> dict:
    """Serve the site on localhost:PORT and the partner page on both partner origins."""
    page = partner_page(app.config["BASE_URL"])
    for partner in partners.values():
        partner.page = page
    with serving(app, app_port):
        yield {name: f"http://127.0.0.1:{p.server_port}/" for name, p in partners.items()}


def settled_height(page: Page) -> int:
    """Wait until the iframe is exactly as tall as its content; return that height."""
    frame = page.locator(f"{INLINE} iframe").element_handle().content_frame()
    frame.wait_for_load_state()
    content = frame.evaluate(
        "Math.ceil(document.querySelector('[data-embed-root]').getBoundingClientRect().height)")
    page.wait_for_function(
        "([selector, want]) => document.querySelector(selector).getBoundingClientRect().height === want",
        arg=[f"{INLINE} iframe", content])
    assert frame.evaluate("document.documentElement.scrollHeight <= document.documentElement.clientHeight")
    return content


def events(page: Page, widget: str) -> list[dict]:
    """Return the booking events the partner page saw on one widget."""
    return page.evaluate("(id) => window.bookingEvents.filter((e) => e.widget === id)", widget)


def test_partner_page_books_through_the_inline_widget_and_hears_booking_created(
        page: Page, partner_urls):
    page.goto(partner_urls["allowed"])
    expect(page.locator(INLINE)).to_have_attribute("data-booking-state", "ready")
    widget = page.frame_locator(f"{INLINE} iframe")

    this_month = widget.locator(".month-title").inner_text()
    widget.get_by_role("link", name="Next month ›").click()
    expect(widget.locator(".month-title")).not_to_have_text(this_month)
    expect(widget.get_by_text("Choose a day to see its free times")).to_be_visible()
    month_only = settled_height(page)

    widget.locator("td.open a").first.click()
    expect(widget.locator("a.time").first).to_be_visible()
    with_times = settled_height(page)
    assert with_times > month_only, "the iframe grows when the day's times appear"

    widget.locator("a.time").first.click()
    widget.get_by_label("Your name").fill("Giulia Bianchi")
    widget.get_by_role("textbox", name="Email").fill("giulia@example.com")
    form = settled_height(page)
    page.wait_for_function("window.bookingEvents.some((e) => e.type === 'booking:slot-selected')")

    widget.get_by_role("button", name="Book this time").click()
    expect(widget.get_by_role("heading", level=1)).to_have_text("Your booking is confirmed")
    confirmation = settled_height(page)
    assert confirmation < form, "the iframe shrinks when the content gets shorter"

    page.wait_for_function("window.bookingEvents.some((e) => e.type === 'booking:created')")
    created = [e for e in events(page, "inline-widget") if e["type"] == "booking:created"]
    db.session.remove()
    booking = db.session.scalar(db.select(Booking))
    assert booking.client_email == "giulia@example.com"
    assert len(created) == 1
    assert created[0]["detail"]["reference"] == booking_reference(booking.uid)  # never the uid
    assert set(created[0]["detail"]) == {"reference", "start", "end", "timezone", "service_type",
                                        "meeting_url"}
    assert created[0]["detail"]["service_type"] == "consultation"
    assert [e["type"] for e in events(page, "popup-widget")] == ["booking:ready"]
    assert page.context.cookies() == [], "the widget books without any cookie"


def test_page_on_an_origin_that_is_not_allowed_gets_no_widget(page: Page, partner_urls):
    page.goto(partner_urls["stranger"])
    expect(page.locator(INLINE)).to_have_attribute("data-booking-state", "unavailable")
    expect(page.locator("#popup-widget")).to_have_attribute("data-booking-state", "unavailable")
    expect(page.locator("iframe")).to_have_count(0)
    expect(page.get_by_role("button", name="Book a demo")).to_have_count(0)
    assert page.evaluate("window.bookingEvents") == []


def test_popup_widget_opens_a_modal_that_escape_closes(page: Page, partner_urls):
    page.goto(partner_urls["allowed"])
    expect(page.locator(INLINE)).to_have_attribute("data-booking-state", "ready")
    settled_height(page)  # the inline widget above must stop growing before we aim a click
    opener = page.get_by_role("button", name="Book a demo")
    opener.scroll_into_view_if_needed()
    opener.click()
    dialog = page.get_by_role("dialog", name="Book a meeting")
    expect(dialog).to_be_visible()
    expect(page.get_by_role("button", name="Close the booking window")).to_be_focused()
    inside = page.frame_locator("#popup-widget iframe")
    expect(inside.get_by_role("link", name="Consultation")).to_be_visible()

    page.keyboard.press("Shift+Tab")  # the trap sends focus round to the frame, not the page
    expect(page.locator("#popup-widget iframe")).to_be_focused()
    page.keyboard.press("Escape")  # pressed inside the frame: it asks the parent to close
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()

    opener.click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
