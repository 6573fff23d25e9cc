"""An English client's emails stay English while the admin, who switched the admin to Italian, moves the booking.

Two browsers, both English (Accept-Language en-US): the client books; the admin logs in through the
login page and picks Italiano in the header. The outbox runs in process and mails a real aiosmtpd
server; the reminder is produced by the sweep at the clock it falls due (what `flask sweep` runs).
"""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import browser_in_rome, check_page
from tests.e2e.mail import app_config, stored_booking, wait_for_email  # noqa: F401 (app_config: mail the sink)
from tests.e2e.steps import ITALIAN_MONTH_TITLE, fill_client, go_to_next_month, log_in_admin
from tests.integration.notifications.support import text_part
from webapp.extensions import db
from webapp.mail.language import long_date
from webapp.models import Booking, OutboxMessage
from webapp.outbox.sweep import run_sweep
from webapp.scheduling import get_zone

CLIENT = "ada@example.com"


@pytest.fixture
def browser_context_args(browser_context_args):
    """An English browser in Rome (Accept-Language: en-US), that lets axe-core be injected."""
    return browser_in_rome(browser_context_args, "en-US")


@pytest.fixture
def admin_page(browser: Browser, browser_context_args, admin):
    """A second English browser, the admin's."""
    context = browser.new_context(**browser_context_args)
    yield context.new_page()
    context.close()


def assert_english(message, words: str, start) -> None:
    """The email's text and HTML are English, name `words` and the booking's start in English."""
    text = text_part(message)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Hello Ada Lovelace," in text and words in text and words in html
    assert long_date(start, "en") in text
    assert '<html lang="en">' in html
    assert "Gentile" not in text + html and "prenotazione" not in text + html


def local_start(booking: Booking):
    """Return the booking's start in its client's zone."""
    return booking.scheduled_at.astimezone(get_zone(booking.timezone))


def test_an_english_client_gets_english_mail_while_the_admin_works_in_italian(
        page: Page, admin_page: Page, site, mailbox, app):
    # The client books in English
    page.goto(site + "/book/consultation")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    go_to_next_month(page)  # the month's last open day: its reminder is days away whatever today is
    page.locator("td.open a").last.click()
    expect(page.get_by_role("heading", level=3)).to_contain_text("times in")
    page.locator("a.time").first.click()
    fill_client(page, "Ada Lovelace", CLIENT)
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("confirmed")
    booked = stored_booking()
    assert booked.locale == "en"
    booked_at, booked_start = booked.scheduled_at, local_start(booked)
    assert_english(wait_for_email(mailbox, CLIENT, "Confirmed:"), "is confirmed", booked_start)

    # The admin logs in (English page), then switches the admin to Italian in the header
    log_in_admin(admin_page, site)
    expect(admin_page.get_by_role("heading", name="Dashboard")).to_be_visible()
    header = admin_page.get_by_role("navigation", name="Admin", exact=True)
    header.get_by_role("button", name="Italiano").click()
    expect(admin_page.locator("html")).to_have_attribute("lang", "it")
    expect(admin_page.get_by_role("heading", name="Pannello")).to_be_visible()
    header = admin_page.get_by_role("navigation", name="Amministrazione", exact=True)
    expect(header.get_by_role("link", name="Prenotazioni")).to_be_visible()
    expect(header.get_by_role("button", name="Italiano")).to_have_attribute("aria-pressed", "true")
    check_page(admin_page, "dashboard (it)")

    # The Italian admin opens the booking: Italian labels, the client's language is English
    header.get_by_role("link", name="Prenotazioni").click()
    admin_page.get_by_role("link", name="Ada Lovelace").first.click()
    expect(admin_page.get_by_text("Lingua del cliente")).to_be_visible()
    expect(admin_page.locator("dt:has-text('Lingua del cliente') + dd")).to_have_text("English")
    check_page(admin_page, "booking (it)")

    # ... and moves it on the Italian calendar (Italian month and weekday names, 24-hour times)
    admin_page.get_by_role("link", name="Sposta").click()
    month = admin_page.locator(".month-title")
    expect(month).to_have_text(ITALIAN_MONTH_TITLE)
    expect(admin_page.locator("table.month th").first).to_have_text("lun")
    this_month = month.inner_text()
    admin_page.get_by_role("link", name="Mese successivo ›").click()
    expect(month).not_to_have_text(this_month)
    admin_page.locator("td.open a").last.click()  # the booking's own day
    expect(admin_page.get_by_role("heading", level=3)).to_contain_text("orari in")
    times = admin_page.locator("a.time")
    assert all(re.fullmatch(r"\d\d:\d\d", label) for label in times.all_inner_texts())
    check_page(admin_page, "reschedule picker (it)")
    times.last.click()  # the same day, later
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Spostare la prenotazione?")
    check_page(admin_page, "reschedule confirmation (it)")
    admin_page.get_by_role("button", name="Sposta la prenotazione").click()
    expect(admin_page.get_by_text("Prenotazione spostata; il cliente sarà avvisato.")).to_be_visible()
    check_page(admin_page, "booking after the move (it)")

    moved = stored_booking()
    moved_id, moved_at, moved_start = moved.id, moved.scheduled_at, local_start(moved)
    assert moved_at != booked_at
    moved_mail = wait_for_email(mailbox, CLIENT, "Rescheduled:")
    assert_english(moved_mail, "has moved to a new time", moved_start)
    assert "It was:" in text_part(moved_mail)
    assert stored_booking().locale == "en"  # the admin's language never becomes the client's

    # The reminder falls due: the sweep at that clock hands it to the in-process outbox
    reminder_due = db.session.scalar(
        db.select(OutboxMessage.due_at).where(OutboxMessage.booking_id == moved_id,
                                              OutboxMessage.kind == "reminder", OutboxMessage.status == "pending")
        .order_by(OutboxMessage.due_at))
    assert reminder_due < moved_at
    assert not [m for m in mailbox.messages() if m["Subject"].strip().startswith("Reminder:")]
    later = reminder_due + timedelta(seconds=1)
    app.config["CLOCK"] = lambda: later
    assert run_sweep()["enqueued"] >= 1
    assert_english(wait_for_email(mailbox, CLIENT, "Reminder:"), "a reminder of your upcoming booking", moved_start)
