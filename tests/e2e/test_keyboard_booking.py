"""A keyboard-only client books: focus follows every step, so Tab always reaches what comes next."""
import re

import pytest
from playwright.sync_api import Page, expect


def active(page: Page) -> str:
    """Describe the focused element: its tag, class and text."""
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return `${e.tagName.toLowerCase()}.${e.className}:${e.textContent.trim()}`; })()")


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector` (fails after `limit` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}; focus is on {active(page)}")


def test_focus_lands_on_the_next_step_after_each_choice(page: Page, live_server):
    page.goto(live_server + "/book/demo?tz=Europe/Rome")

    # The first Tab reaches the skip link, which jumps past the header.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()

    tab_to(page, "a[rel=next]")
    title = page.locator(".month-title").inner_text()
    page.keyboard.press("Enter")
    # Next month: focus on its heading, announced politely, never on <body>.
    expect(page.locator(".month-title")).not_to_have_text(title)
    expect(page.locator(".month-title")).to_be_focused()
    expect(page.locator("#announcer")).to_contain_text("days with free times")

    tab_to(page, "td.open a")
    page.keyboard.press("Enter")
    # A day: focus on its first time at once, so Enter books it.
    expect(page.locator("a.time").first).to_be_focused()
    expect(page.locator("#announcer")).to_contain_text("free times")
    expect(page.locator("[data-picker]")).not_to_have_attribute("aria-busy", "true")

    page.keyboard.press("Enter")
    # The details form: focus on its heading; the next Tab is the first field.
    expect(page.get_by_role("heading", name="Your details")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Your name")).to_be_focused()


def test_the_picker_shows_it_is_busy_while_a_day_loads(page: Page, live_server):
    page.goto(live_server + "/book/demo?tz=Europe/Rome")
    page.get_by_role("link", name="Next month ›").click()
    expect(page.locator(".month-title")).to_be_focused()
    busy = page.evaluate("""() => {
        const picker = document.querySelector('[data-picker]');
        picker.querySelector('td.open a').click();
        return [picker.getAttribute('aria-busy'), picker.classList.contains('htmx-request'),
                getComputedStyle(picker, '::after').content];
    }""")
    assert busy == ["true", True, '""'], busy
    expect(page.locator("a.time").first).to_be_focused()


def test_arrow_keys_in_the_zone_list_do_not_reload_and_a_new_zone_keeps_the_day(page: Page, live_server):
    page.goto(live_server + "/book/demo?tz=Europe/Rome")
    page.get_by_role("link", name="Next month ›").click()
    page.locator("td.open a").first.click()
    expect(page.locator("a.time").first).to_be_focused()
    day_url = page.url
    page.evaluate("window.__marker = 'still here'")

    zones = page.get_by_label("Times shown in")
    zones.focus()
    for key in ("ArrowDown", "ArrowDown", "ArrowUp", "ArrowDown"):
        page.keyboard.press(key)
    page.wait_for_timeout(300)
    assert page.url == day_url and page.evaluate("window.__marker") == "still here"

    # Search narrows the list to matching zones, each with its offset; the button applies it.
    page.get_by_label("Search time zones").fill("new york")
    expect(zones).to_have_value("America/New_York")
    expect(zones.locator("option:checked")).to_have_text(re.compile(r"America/New_York \(UTC-0[45]:00\)"))
    page.get_by_role("button", name="Show times").click()
    expect(page).to_have_url(re.compile(r"day=\d{4}-\d\d-\d\d.*New_York|New_York.*day=\d{4}"))
    expect(page.locator(".times-title")).to_contain_text("times in America/New_York")
