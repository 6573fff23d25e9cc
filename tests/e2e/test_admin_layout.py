"""The admin on a phone and a desktop: no sideways scrolling, the current page marked, axe-clean;
the week grid draws short and overlapping bookings readably and marks today; outcomes recorded
before a meeting ask first."""
from datetime import datetime, time, timedelta, timezone

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import browser_context_args, check_page  # noqa: F401 (the fixture lets axe in)
from tests.e2e.steps import log_in_admin
from tests.factories import create_block, create_rule, store_booking
from webapp.scheduling import get_zone

ROME = get_zone("Europe/Rome")
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}


def rome_today_at(hour: int, minute: int = 0) -> datetime:
    """Return today at a Rome wall time, as UTC."""
    today = datetime.now(timezone.utc).astimezone(ROME).date()
    return datetime.combine(today, time(hour, minute), ROME).astimezone(timezone.utc)


@pytest.fixture
def admin_data(app, admin):
    """Bookings this week (two overlapping, a 30-minute one), a future one, a rule and a block."""
    store_booking(client_name="Anna Overlap", scheduled_at=rome_today_at(10), duration_minutes=60,
                  status="confirmed")
    store_booking(client_name="Bruno Overlap", scheduled_at=rome_today_at(10, 30), duration_minutes=30,
                  status="pending")
    future = store_booking(client_name="Carla Future", status="confirmed",
                           scheduled_at=datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=3),
                           client_company="A company with a rather long name that must wrap")
    rule = create_rule()
    create_block(reason="Studio closed")
    return {"future": future.id, "rule": rule.id}


def admin_pages(ids: dict) -> dict[str, str]:
    """Return every admin page worth a look, by the navigation link that should be current."""
    return {
        "/admin/": "Dashboard", "/admin/calendar": "Calendar", "/admin/calendar/month": "Calendar",
        "/admin/bookings": "Bookings", f"/admin/bookings/{ids['future']}": "Bookings",
        f"/admin/bookings/{ids['future']}/reschedule": "Bookings", "/admin/availability": "Availability",
        f"/admin/availability/rules/{ids['rule']}": "Availability", "/admin/blocked-dates": "Blocked dates",
        "/admin/service-types": "Service types", "/admin/service-types/consultation": "Service types",
        "/admin/settings": "Settings", "/admin/outbox": "Outbox", "/admin/integrations": "Integrations",
    }


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_admin_page_fits_marks_where_you_are_and_passes_axe(page: Page, live_server, admin_data, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server + "/admin/login")
    check_page(page)
    log_in_admin(page, live_server)
    for url, section in admin_pages(admin_data).items():
        page.goto(live_server + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{url} is {width} px wide"
        expect(page.locator('nav.admin-nav [aria-current="page"]').first, url).to_have_text(section)
        check_page(page, url)


def test_phone_navigation_folds_into_a_menu(page: Page, live_server, admin_data):
    page.set_viewport_size(PHONE)
    log_in_admin(page, live_server)
    expect(page.get_by_role("link", name="Outbox")).to_be_hidden()
    page.get_by_text("Menu").click()
    page.get_by_role("link", name="Outbox").click()
    expect(page.get_by_role("heading", name="Outbox")).to_be_visible()


def test_week_grid_marks_today_and_draws_short_and_overlapping_bookings_readably(page: Page, live_server,
                                                                                 admin_data):
    page.set_viewport_size(DESKTOP)
    log_in_admin(page, live_server)
    page.goto(live_server + "/admin/calendar")
    today = page.locator("section.week-day.today")
    expect(today.locator('h2[aria-current="date"]')).to_contain_text("Today")
    anna, bruno = today.get_by_role("link", name="Anna Overlap"), today.get_by_role("link", name="Bruno Overlap")
    first, second = anna.bounding_box(), bruno.bounding_box()
    assert first["x"] + first["width"] <= second["x"]  # side by side, not on top of each other
    assert second["y"] > first["y"]  # the later one starts lower
    unclipped = "el => el.scrollHeight <= el.clientHeight + 1"
    assert bruno.evaluate(unclipped), "the 30-minute booking's text is cut off"
    expect(bruno).to_contain_text("Bruno Overlap")


def test_marking_a_future_booking_completed_asks_first(page: Page, live_server, admin_data):
    log_in_admin(page, live_server)
    page.goto(f"{live_server}/admin/bookings/{admin_data['future']}")
    page.get_by_role("button", name="Mark completed").click()
    question = page.get_by_role("heading", name="Mark completed before the meeting?")
    expect(question).to_be_focused()
    page.get_by_role("link", name="No, keep it as it is").click()
    expect(page.locator("[data-booking] h1 .status")).to_have_text("confirmed")
    page.get_by_role("button", name="Mark completed").click()
    page.get_by_role("button", name="Yes, mark completed").click()
    expect(page.locator("[data-booking] h1 .status")).to_have_text("completed")
