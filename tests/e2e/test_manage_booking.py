"""A client books, then reschedules and cancels through the manage link from their email."""
import re
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from tests.e2e.mail import app_config, stored_booking, wait_for_email  # noqa: F401 (app_config: mail the sink)
from tests.e2e.steps import choose_first_time_next_month, fill_client
from webapp.mail.references import booking_reference

ZONE = "America/New_York"
CLIENT = "mario@example.com"


@pytest.fixture
def browser_context_args(browser_context_args):
    """Browse from New York, far from the business zone (Europe/Rome)."""
    return {**browser_context_args, "timezone_id": ZONE, "accept_downloads": True}


def invite_of(message: EmailMessage) -> Calendar:
    """Return the .ics attached to an email, parsed."""
    for part in message.walk():
        if part.get_filename() == "invite.ics":
            return Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("the email has no invite.ics")


def event_of(calendar: Calendar):
    """Return the one VEVENT of a calendar."""
    [event] = calendar.walk("VEVENT")
    return event


def downloaded_ics(page: Page) -> Calendar:
    """Download the manage page's .ics file and parse it."""
    with page.expect_download() as download:
        page.get_by_role("link", name="Download .ics file").click()
    return Calendar.from_ical(download.value.path().read_bytes())


def public_times(page: Page, site: str, start) -> list[str]:
    """Return the free times the public calendar shows on the local day of `start`."""
    local = start.astimezone(ZoneInfo(ZONE))
    page.goto(f"{site}/book/consultation?tz={ZONE}&day={local.date().isoformat()}&hours=24")
    return page.locator("a.time").all_inner_texts()


def label(start) -> str:
    """Return how the picker labels a start time in the client's zone."""
    return start.astimezone(ZoneInfo(ZONE)).strftime("%H:%M")


def book_first_time_next_month(page: Page, site: str) -> None:
    """Book the first free consultation time of next month through the public pages."""
    page.goto(site + "/book/consultation")
    choose_first_time_next_month(page)
    fill_client(page, "Mario Rossi", CLIENT)
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your booking is")


def test_client_reschedules_then_cancels_through_the_emailed_manage_link(page: Page, site, mailbox):
    book_first_time_next_month(page, site)

    confirmation = wait_for_email(mailbox, CLIENT, "Confirmed:")
    link = re.search(rf"{re.escape(site)}/manage/[A-Za-z0-9_-]{{43}}", confirmation.get_body(("plain",)).get_content())
    assert link, "the confirmation has no manage link"
    first_invite = event_of(invite_of(confirmation))
    booked = stored_booking()
    assert str(first_invite["UID"]).startswith(booking_reference(booked.uid) + "@")
    assert first_invite["SEQUENCE"] == 0
    assert label(booked.scheduled_at) not in public_times(page, site, booked.scheduled_at)

    # The manage page, opened from the email: details in the client's zone and an .ics.
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking")
    expect(page.get_by_text(f"({ZONE}, UTC")).to_be_visible()
    expect(page.get_by_role("link", name="Add to Google Calendar")).to_have_attribute(
        "href", re.compile(r"^https://calendar\.google\.com/calendar/render\?action=TEMPLATE"))
    ics = downloaded_ics(page)
    assert ics["METHOD"] == "REQUEST" and event_of(ics)["UID"] == first_invite["UID"]

    # Reschedule to another day with the same picker, after a confirmation step.
    page.get_by_role("link", name="Reschedule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new time")
    booked_day = booked.scheduled_at.astimezone(ZoneInfo(ZONE)).date()
    page.goto(f"{page.url.split('?')[0]}?tz={ZONE}&month={booked_day:%Y-%m}")
    other_day = page.locator("td.open a").filter(has_not_text=re.compile(rf"^{booked_day.day}$")).nth(1)
    other_day.click()
    expect(page.get_by_role("heading", level=3)).to_contain_text(f"times in {ZONE}")
    page.locator("a.time").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move your booking?")
    page.get_by_role("button", name="Yes, move my booking").click()
    expect(page.get_by_role("status")).to_contain_text("Your booking has moved")

    moved = stored_booking()
    assert moved.scheduled_at.date() != booked.scheduled_at.date() and moved.version == 1
    update = wait_for_email(mailbox, CLIENT, "Rescheduled:")
    update_invite = invite_of(update)
    assert update_invite["METHOD"] == "REQUEST"
    assert event_of(update_invite)["UID"] == first_invite["UID"]
    assert event_of(update_invite)["SEQUENCE"] == 1
    assert event_of(update_invite).decoded("DTSTART") == moved.scheduled_at
    assert label(booked.scheduled_at) in public_times(page, site, booked.scheduled_at)
    assert label(moved.scheduled_at) not in public_times(page, site, moved.scheduled_at)

    # Cancel with a reason, after a confirmation step.
    page.goto(link.group(0))
    page.get_by_role("link", name="Cancel booking").click()
    page.get_by_label("Reason (optional)").fill("Something came up")
    page.get_by_role("button", name="Yes, cancel my booking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This booking is cancelled")

    cancellation = wait_for_email(mailbox, CLIENT, "Cancelled:")
    cancel_invite = invite_of(cancellation)
    assert cancel_invite["METHOD"] == "CANCEL"
    assert event_of(cancel_invite)["UID"] == first_invite["UID"]
    assert event_of(cancel_invite)["SEQUENCE"] == 2
    ics = downloaded_ics(page)
    assert ics["METHOD"] == "CANCEL" and event_of(ics)["SEQUENCE"] == 2
    cancelled = stored_booking()
    assert (cancelled.status, cancelled.cancellation_reason) == ("cancelled", "Something came up")
    assert label(moved.scheduled_at) in public_times(page, site, moved.scheduled_at)


def test_client_who_lost_the_link_gets_it_by_email(page: Page, site, mailbox):
    book_first_time_next_month(page, site)
    token_link = page.get_by_role("link", name="Manage this booking").get_attribute("href")

    page.goto(site + "/manage/lost")
    page.get_by_label("Your email").fill(CLIENT.upper())
    page.get_by_role("button", name="Send my links").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    links = wait_for_email(mailbox, CLIENT, "Your bookings with")
    assert token_link in links.get_body(("plain",)).get_content()
