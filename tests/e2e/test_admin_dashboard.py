"""An admin runs the calendar in Chromium: blocks a day, cancels a booking, gets locked out."""
import re
from datetime import datetime, timedelta, timezone

from playwright.sync_api import Page, expect

from tests.e2e.steps import ADMIN_EMAIL, log_in_admin
from tests.factories import create_rule, store_booking
from webapp.extensions import db
from webapp.models import Booking, OutboxMessage
from webapp.scheduling import get_zone
from webapp.services.login_throttle import is_throttled, throttle_keys

ZONE = "Europe/Rome"


def public_day_url(base: str, day) -> str:
    """Return the public calendar of a consultation opened on `day`, times in Rome."""
    return f"{base}/book/consultation?tz={ZONE}&month={day:%Y-%m}&day={day.isoformat()}"


def test_admin_blocks_tomorrow_and_the_public_calendar_stops_offering_it(page: Page, live_server, admin):
    for weekend_day in (5, 6):  # every day open, so tomorrow is open whatever today is
        create_rule(day_of_week=weekend_day, service_type="consultation")
    tomorrow = datetime.now(timezone.utc).astimezone(get_zone(ZONE)).date() + timedelta(days=1)
    page.goto(public_day_url(live_server, tomorrow))
    expect(page.locator("a.time").first).to_be_visible()

    log_in_admin(page, live_server)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.get_by_role("link", name="Blocked dates").click()
    page.get_by_label("From (day)").fill(tomorrow.isoformat())
    page.get_by_label("Reason").fill("Studio closed")
    page.get_by_role("button", name="Block").click()
    expect(page.get_by_text("Dates blocked.")).to_be_visible()
    expect(page.get_by_role("cell", name="Studio closed")).to_be_visible()

    page.goto(public_day_url(live_server, tomorrow))
    expect(page.get_by_text("No free times left on this day")).to_be_visible()
    expect(page.locator("a.time")).to_have_count(0)
    expect(page.locator("td.closed", has_text=str(tomorrow.day)).first).to_be_visible()


def test_admin_cancels_a_booking_and_the_client_is_sent_a_cancellation(page: Page, live_server, admin):
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=3)
    booking = store_booking(status="confirmed", scheduled_at=start, client_email="client@example.com")
    log_in_admin(page, live_server)
    page.goto(f"{live_server}/admin/bookings/{booking.id}")
    page.evaluate("window.__marker = 'same page'")
    page.get_by_label("Reason (sent to the client)").fill("The trainer is ill.")
    page.get_by_role("button", name="Cancel booking").click()

    expect(page.locator("[data-booking] h1 .status")).to_have_text("cancelled")
    expect(page.get_by_text("Booking cancelled; the client will be told.")).to_be_visible()
    assert page.evaluate("window.__marker") == "same page"  # swapped in place by htmx
    db.session.remove()
    assert db.session.get(Booking, booking.id).cancellation_reason == "The trainer is ill."
    sent = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.booking_id == booking.id,
                                                             OutboxMessage.kind == "cancellation")).all()
    assert [row.recipient for row in sent] == ["client@example.com"]


def test_wrong_passwords_slow_down_this_address_even_against_the_right_one(page: Page, live_server, admin):
    for _attempt in range(5):
        log_in_admin(page, live_server, password="wrong password!")
        expect(page.get_by_role("alert")).to_contain_text("did not work")

    log_in_admin(page, live_server)  # the right password, too soon
    expect(page.get_by_role("alert")).to_contain_text("too many attempts")
    expect(page.get_by_role("heading", name="Admin login")).to_be_visible()
    page.goto(live_server + "/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login\?next="))
    db.session.remove()
    assert is_throttled(throttle_keys(ADMIN_EMAIL, "127.0.0.1"), datetime.now(timezone.utc))
    assert not is_throttled(throttle_keys(ADMIN_EMAIL, "192.0.2.1"), datetime.now(timezone.utc))
