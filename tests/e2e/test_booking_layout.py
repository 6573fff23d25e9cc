"""The booking page's layout: side by side on a desktop, one column that scrolls to the times on a phone."""
from playwright.sync_api import Page, expect

from tests.e2e.steps import go_to_next_month, open_first_free_day


def box(page: Page, selector: str) -> dict:
    """Return the element's bounding box in the viewport."""
    return page.locator(selector).first.bounding_box()


def test_desktop_shows_the_summary_the_month_and_the_times_side_by_side(page: Page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server + "/book/consultation?tz=Europe/Rome")
    go_to_next_month(page)
    open_first_free_day(page)
    panel, month, times = box(page, ".booking-panel"), box(page, "table.month"), box(page, ".times")
    assert panel["x"] + panel["width"] <= month["x"] and month["x"] + month["width"] <= times["x"]
    assert abs(panel["y"] - month["y"]) < 120 and times["y"] < month["y"] + month["height"]
    expect(page.locator(".booking-panel")).to_contain_text("Times shown in")


def test_phone_is_one_column_and_scrolls_to_the_times(page: Page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/book/consultation?tz=Europe/Rome")
    go_to_next_month(page)
    open_first_free_day(page)
    month, times = box(page, "table.month"), box(page, ".times")
    assert times["y"] >= month["y"] + month["height"] - 1  # below the month
    first = page.locator("a.time").first
    expect(first).to_be_focused()
    expect(first).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
