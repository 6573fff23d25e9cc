"""A client books a consultation through the pages in Chromium."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import choose_first_time_next_month, fill_client, go_to_next_month, open_first_free_day
from webapp.extensions import db
from webapp.models import Booking


@pytest.fixture
def browser_context_args(browser_context_args):
    """Browse from New York, far from the business zone (Europe/Rome)."""
    return {**browser_context_args, "timezone_id": "America/New_York"}


def test_client_books_a_time_in_their_own_zone_and_sees_the_confirmation(page: Page, live_server):
    page.context.clear_cookies()
    page.goto(live_server + "/")
    page.get_by_role("link", name="Consultation").click()

    # The browser's own zone is adopted (the page reloads with it), and every time says its zone.
    expect(page).to_have_url(re.compile(r"tz=America(/|%2F)New_York"))
    zone = "America/New_York"
    expect(page.get_by_label("Times shown in")).to_have_value(zone)

    go_to_next_month(page)
    open_first_free_day(page)
    expect(page.get_by_role("heading", level=3)).to_contain_text(f"times in {zone}")
    page.locator("a.time").first.click()

    fill_client(page, "Mario Rossi", "mario@example.com")
    page.get_by_text("More details (optional)").click()  # the optional fields are folded away
    page.get_by_label("Company").fill("Acme Inc")
    page.get_by_role("button", name="Book this time").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking is confirmed")
    expect(page.get_by_text(f"({zone}, UTC")).to_be_visible()
    expect(page.get_by_role("link", name="Manage this booking")).to_have_attribute(
        "href", re.compile(r"/manage/[A-Za-z0-9_-]{43}$"))
    db.session.remove()
    booking = db.session.scalar(db.select(Booking))
    assert booking.client_company == "Acme Inc" and booking.timezone == zone


def test_picker_updates_in_place_without_reloading_the_page(page: Page, live_server):
    page.goto(live_server + "/book/demo?tz=America/New_York")
    page.evaluate("window.__marker = 'still here'")
    go_to_next_month(page)
    open_first_free_day(page)
    expect(page.locator("a.time").first).to_be_visible()
    assert page.evaluate("window.__marker") == "still here"
    assert "day=" in page.url


def test_calendar_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/book/support?tz=Europe/Rome")
    choose_first_time_next_month(page)
    expect(page.get_by_role("button", name="Book this time")).to_be_visible()
    context.close()


def test_a_time_taken_meanwhile_keeps_the_details_and_offers_other_times(page: Page, live_server):
    page.goto(live_server + "/book/support?tz=Europe/Rome")
    choose_first_time_next_month(page)
    fill_client(page, "Luigi Verdi", "luigi@example.com")

    # Someone else books the same time in another tab first.
    other = page.context.new_page()
    other.goto(page.url)
    fill_client(other, "Anna Bianchi", "anna@example.com")
    other.get_by_role("button", name="Book this time").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Your booking is confirmed")

    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("alert")).to_contain_text("just taken")
    expect(page.get_by_label("Your name")).to_have_value("Luigi Verdi")
    page.get_by_role("radio").nth(1).check()
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking is confirmed")
    db.session.remove()
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 2
