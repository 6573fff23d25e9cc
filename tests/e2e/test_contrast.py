"""Non-text contrast: the chosen day when hovered, input borders and the focus ring reach 3:1."""
from playwright.sync_api import Page, expect

from tests.e2e.contrast import ratio, style
from tests.e2e.steps import go_to_next_month, open_first_free_day

WHITE = "rgb(255, 255, 255)"


def test_the_chosen_day_the_fields_and_the_focus_ring_stand_out(page: Page, live_server):
    page.goto(live_server + "/book/consultation?tz=Europe/Rome")
    go_to_next_month(page)
    open_first_free_day(page)
    chosen = page.locator("td.selected a")
    chosen.hover()
    assert ratio(style(chosen, "color"), style(chosen, "background-color")) >= 4.5

    page.keyboard.press("Tab")  # focus moves with the keyboard: the ring is drawn
    focused = page.locator(":focus-visible")
    expect(focused).to_have_count(1)
    page_bg = style(page.locator("body"), "background-color")
    assert ratio(style(focused, "outline-color"), page_bg) >= 3
    assert ratio(style(focused, "outline-color"), WHITE) >= 3

    page.locator("a.time").first.click()
    name = page.get_by_label("Your name")
    assert ratio(style(name, "border-top-color"), WHITE) >= 3
