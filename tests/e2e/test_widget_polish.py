"""The widget on a partner page: room kept from the start (no layout shift), styled opener and
close button, a real backdrop, the frame brought into view at each step, the accent on the days."""
from playwright.sync_api import Page, expect

from tests.e2e.test_widget import INLINE, app_config, partner_urls, partners, settled_height  # noqa: F401

#: paints a computed colour on a 1x1 canvas and reads it back as [r, g, b] (whatever its notation)
RGB_OF = """(value) => { const c = document.createElement('canvas').getContext('2d');
  c.fillStyle = value; c.fillRect(0, 0, 1, 1); return Array.from(c.getImageData(0, 0, 1, 1).data).slice(0, 3); }"""
LAYOUT_SHIFT = """() => new Promise((done) => { let total = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
    .observe({type: 'layout-shift', buffered: true});
  setTimeout(() => done(total), 300); })"""


def test_the_inline_frame_keeps_its_room_from_the_start(page: Page, partner_urls):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(partner_urls["allowed"])
    first = page.locator(f"{INLINE} iframe").bounding_box()["height"]
    expect(page.locator(INLINE)).to_have_attribute("data-booking-state", "ready")
    content = settled_height(page)
    # the room kept before any message, unless the content's own height (a five-week month,
    # Sunday first for en-US: under 600px) was reported first
    assert first >= 600 or first == content
    assert page.evaluate(LAYOUT_SHIFT) < 0.05


def test_the_popup_has_a_styled_opener_close_button_and_a_dark_backdrop(page: Page, partner_urls):
    page.goto(partner_urls["allowed"])
    opener = page.get_by_role("button", name="Book a demo")
    expect(opener).to_be_visible()
    box = opener.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert page.evaluate(RGB_OF, opener.evaluate("e => getComputedStyle(e).backgroundColor")) == [36, 87, 197]
    opener.scroll_into_view_if_needed()
    opener.click()
    close = page.get_by_role("button", name="Close the booking window")
    close_box = close.bounding_box()
    assert close_box["height"] >= 24 and close_box["width"] >= 24
    backdrop = page.locator("dialog").evaluate("d => getComputedStyle(d, '::backdrop').backgroundColor")
    assert backdrop == "rgba(15, 23, 42, 0.6)"
    page.mouse.click(5, 5)  # on the backdrop: the window closes
    expect(page.get_by_role("dialog", name="Book a meeting")).to_be_hidden()


def test_each_step_brings_the_frame_into_view_and_days_take_the_partner_accent(page: Page, partner_urls):
    page.set_viewport_size({"width": 390, "height": 700})
    page.goto(partner_urls["allowed"])
    expect(page.locator(INLINE)).to_have_attribute("data-booking-state", "ready")
    widget = page.frame_locator(f"{INLINE} iframe")
    day = widget.locator("td.open a").first
    this_month = widget.locator(".month-title").inner_text()
    widget.get_by_role("link", name="Next month ›").click()
    expect(widget.locator(".month-title")).not_to_have_text(this_month)
    red, green, blue = page.evaluate(RGB_OF, day.evaluate("e => getComputedStyle(e).backgroundColor"))
    assert red > blue - 10 and green < red, "open days are tinted with the partner's purple (#7a3e9d)"

    day.click()
    widget.locator("a.time").first.scroll_into_view_if_needed()  # the partner page scrolls down to it
    widget.locator("a.time").first.click()
    expect(widget.get_by_label("Your name")).to_be_visible()
    page.wait_for_function(f"() => {{ const t = document.querySelector('{INLINE} iframe')"
                           ".getBoundingClientRect().top; return t > -1 && t < innerHeight / 2; }")  # -1: subpixel
