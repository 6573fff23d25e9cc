"""Back after htmx swaps restores the whole page: the public picker and the admin bookings list."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import go_to_next_month, log_in_admin
from tests.factories import store_booking

#: the site's htmx-config (history restores are plain requests), and htmx's own default
#: (they carry HX-Request too): the server must answer both with the whole page
RESTORE_MODES = ["site-config", "htmx-default"]


def use_restore_mode(page: Page, mode: str) -> None:
    """Put htmx back on its default when asked, to prove the server alone restores pages."""
    if mode == "htmx-default":
        page.evaluate("htmx.config.historyRestoreAsHxRequest = true")
    expected = mode == "htmx-default"
    assert page.evaluate("htmx.config.historyRestoreAsHxRequest") is expected


def choose_open_day(page: Page, index: int) -> str:
    """Choose the `index`-th day with free times; wait until it is shown; return its number."""
    link = page.locator("td.open a").nth(index)
    number = link.inner_text()
    link.click()
    expect(page.locator("td.selected")).to_have_text(number)
    expect(page.locator("a.time").first).to_be_visible()
    return number


def expect_whole_calendar_page(page: Page) -> None:
    """Check the page around the picker is there once: header, title, options, calendar."""
    expect(page.locator("header.site-header")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultation")
    expect(page.get_by_label("Times shown in")).to_have_value("Europe/Rome")
    expect(page.locator("[data-picker]")).to_have_count(1)
    expect(page.locator("table.month")).to_be_visible()


@pytest.mark.parametrize("mode", RESTORE_MODES)
def test_back_after_picker_clicks_restores_the_whole_calendar_page(page: Page, live_server, mode):
    page.goto(live_server + "/book/consultation?tz=Europe/Rome")
    use_restore_mode(page, mode)
    page.evaluate("window.__marker = 'same document'")
    go_to_next_month(page)
    month_url, month_title = page.url, page.locator(".month-title").inner_text()
    first_day = choose_open_day(page, 0)
    first_day_url = page.url
    choose_open_day(page, 1)

    page.go_back()
    expect(page).to_have_url(first_day_url)
    expect(page.locator("td.selected")).to_have_text(first_day)  # the previous day's state
    expect(page.locator("a.time").first).to_be_visible()
    expect(page.locator(".month-title")).to_have_text(month_title)
    expect_whole_calendar_page(page)

    page.go_back()
    expect(page).to_have_url(month_url)
    expect(page.get_by_text("Choose a day to see its free times")).to_be_visible()
    expect(page.locator("td.selected")).to_have_count(0)
    expect_whole_calendar_page(page)
    # htmx restored each page in place: Back never reloaded the document
    assert page.evaluate("window.__marker") == "same document"


def filter_bookings(page: Page, *, status: str | None = None, text: str | None = None) -> None:
    """Send the bookings filter (htmx swaps the results) and wait for the address to follow."""
    if status is not None:
        page.get_by_label("Status").select_option(status)
    if text is not None:
        page.get_by_label("Search").fill(text)
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"status=" + (status or "")))


@pytest.mark.parametrize("mode", RESTORE_MODES)
def test_back_after_filtering_the_bookings_list_restores_the_whole_page(page: Page, live_server,
                                                                        admin, mode):
    start = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
    for offset, (name, status) in enumerate([("Anna Bianchi", "confirmed"),
                                             ("Carlo Verdi", "confirmed"),
                                             ("Bea Neri", "pending")]):
        store_booking(client_name=name, status=status, scheduled_at=start + timedelta(hours=offset))
    log_in_admin(page, live_server)
    page.goto(live_server + "/admin/bookings")
    use_restore_mode(page, mode)
    results = page.locator("[data-results]")
    expect(results).to_contain_text("3 bookings")

    filter_bookings(page, status="confirmed")
    expect(results).to_contain_text("2 bookings")
    filter_bookings(page, status="confirmed", text="Anna")
    expect(results).to_contain_text("1 booking ·")
    expect(page).to_have_url(re.compile(r"q=Anna"))

    page.go_back()
    expect(page).not_to_have_url(re.compile(r"q=Anna"))
    expect(results).to_contain_text("2 bookings")
    expect(results).to_contain_text("Carlo Verdi")
    expect(page.locator("nav.admin-nav")).to_have_count(1)  # the whole page, once
    expect(page.get_by_role("heading", level=1)).to_have_text("Bookings")
    expect(page.get_by_label("Status")).to_have_value("confirmed")
    expect(page.get_by_label("Search")).to_have_value("")

    page.go_back()
    expect(results).to_contain_text("3 bookings")
    expect(page.locator("nav.admin-nav")).to_have_count(1)
    expect(page.get_by_label("Status")).to_have_value("")
