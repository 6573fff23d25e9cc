"""The widget on a partner page, inline and as a popup, on a phone and a desktop: axe-core finds
no serious or critical violation on the partner page or in the frame at any step."""
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import browser_context_args, check_page  # noqa: F401 (the fixture lets axe in)
from tests.e2e.test_widget import INLINE, app_config, partner_urls, partners  # noqa: F401 (fixtures)

PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_widget_booking_passes_axe_at_every_step(page: Page, partner_urls, viewport):
    page.set_viewport_size(viewport)
    page.goto(partner_urls["allowed"])
    expect(page.locator(INLINE)).to_have_attribute("data-booking-state", "ready")
    check_page(page, "partner page")
    widget = page.frame_locator(f"{INLINE} iframe")
    frame = page.locator(f"{INLINE} iframe").element_handle().content_frame()
    check_page(frame, "widget: calendar")

    this_month = widget.locator(".month-title").inner_text()
    widget.get_by_role("link", name="Next month ›").click()
    expect(widget.locator(".month-title")).not_to_have_text(this_month)
    widget.locator("td.open a").first.click()
    expect(widget.locator("a.time").first).to_be_visible()
    check_page(frame, "widget: calendar with times")
    widget.locator("a.time").first.click()
    widget.get_by_label("Your name").fill("Giulia Bianchi")
    widget.get_by_role("textbox", name="Email").fill("giulia@example.com")
    check_page(frame, "widget: details")
    widget.get_by_role("button", name="Book this time").click()
    expect(widget.get_by_role("heading", level=1)).to_have_text("Your booking is confirmed")
    check_page(frame, "widget: confirmation")

    opener = page.get_by_role("button", name="Book a demo")
    opener.scroll_into_view_if_needed()
    opener.click()
    expect(page.get_by_role("dialog", name="Book a meeting")).to_be_visible()
    check_page(page, "partner page with the popup open")
    popup = page.locator("#popup-widget iframe").element_handle().content_frame()
    expect(page.frame_locator("#popup-widget iframe").get_by_role("link", name="Consultation")).to_be_visible()
    check_page(popup, "popup widget: services")
