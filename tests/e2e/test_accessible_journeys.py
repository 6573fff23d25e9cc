"""A client books, reschedules and cancels on a phone and on a desktop; axe-core checks every
page on the way (0 serious or critical violations)."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import browser_context_args, check_page  # noqa: F401 (the fixture lets axe in)
from tests.e2e.steps import fill_client, go_to_next_month, open_first_free_day

PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}


@pytest.fixture
def site(app, live_server) -> str:
    """The live site, its manage links pointing at itself."""
    app.config["BASE_URL"] = live_server
    return live_server


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_book_reschedule_and_cancel_pass_axe_at_every_step(page: Page, site, viewport):
    page.set_viewport_size(viewport)
    page.goto(site + "/")
    check_page(page, "services")
    page.get_by_role("link", name="Consultation").first.click()
    expect(page.locator(".month-title")).to_be_visible()
    check_page(page, "calendar")
    go_to_next_month(page)
    open_first_free_day(page)
    check_page(page, "calendar with a day's times")

    page.locator("a.time").first.click()
    expect(page.get_by_label("Your name")).to_be_visible()
    check_page(page, "details form")
    page.get_by_role("button", name="Book this time").click()  # nothing filled in
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()  # read out first; each link leads to its field
    summary.get_by_role("link", name=re.compile("^Your name")).click()
    expect(page.get_by_label("Your name")).to_be_focused()
    check_page(page, "details form with errors")
    fill_client(page, "Mario Rossi", "mario@example.com")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your booking is")
    check_page(page, "confirmation")

    page.get_by_role("link", name="Manage this booking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking")
    check_page(page, "manage")
    page.get_by_role("link", name="Reschedule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new time")
    check_page(page, "reschedule picker")
    page.locator("td.open:not(.selected) a").first.click()
    expect(page.locator("a.time").first).to_be_visible()
    page.locator("a.time").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move your booking?")
    check_page(page, "reschedule confirmation")
    page.get_by_role("button", name="Yes, move my booking").click()
    expect(page.get_by_role("status").first).to_contain_text("Your booking has moved")
    check_page(page, "manage after moving")

    page.get_by_role("link", name="Cancel booking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel this booking?")
    check_page(page, "cancel confirmation")
    page.get_by_role("button", name="Yes, cancel my booking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This booking is cancelled")
    check_page(page, "cancelled booking")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert re.search(r"/manage/", page.url)
