"""An Italian browser books in Italian and gets Italian email; switching to English on the manage
page moves the booking in English, and the next email follows."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import browser_in_rome, check_page
from tests.e2e.mail import app_config, stored_booking, wait_for_email  # noqa: F401 (app_config: mail the sink)
from tests.e2e.steps import ITALIAN_MONTH_TITLE, open_first_free_day
from webapp.mail.language import long_date
from webapp.scheduling import get_zone

CLIENT = "giulia@example.com"


@pytest.fixture
def browser_context_args(browser_context_args):
    """An Italian browser in Rome (Accept-Language: it-IT), that lets axe-core be injected."""
    return browser_in_rome(browser_context_args, "it-IT")


def choose_a_time_next_month(page: Page, next_month: str, times_in: str) -> list[str]:
    """Show next month, open its first free day ahead and choose its first time; return the times offered."""
    title = page.locator(".month-title").inner_text()
    page.get_by_role("link", name=next_month).click()
    expect(page.locator(".month-title")).not_to_have_text(title)
    open_first_free_day(page, times_in)
    offered = page.locator("a.time").all_inner_texts()
    page.locator("a.time").first.click()
    return offered


def test_an_italian_client_books_in_italian_then_switches_to_english(page: Page, site, mailbox):
    page.goto(site + "/book/consultation")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.locator(".month-title")).to_have_text(ITALIAN_MONTH_TITLE)
    expect(page.locator("table.month th").first).to_have_text("lun")  # the Italian week starts on Monday
    check_page(page, "calendar (it)")

    offered = choose_a_time_next_month(page, "Mese successivo ›", "orari in")
    assert offered and all(re.fullmatch(r"\d\d:\d\d", label) for label in offered)  # 24-hour clock
    expect(page.get_by_role("heading", name="I tuoi dati")).to_be_visible()
    page.get_by_label("Il tuo nome").fill("Giulia Bianchi")
    page.get_by_role("textbox", name="Email").fill(CLIENT)
    check_page(page, "details form (it)")
    page.get_by_role("button", name="Prenota questo orario").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("La tua prenotazione è confermata")
    check_page(page, "confirmation (it)")

    booking = stored_booking()
    assert booking.locale == "it"
    start = booking.scheduled_at.astimezone(get_zone(booking.timezone))
    confirmation = wait_for_email(mailbox, CLIENT, "Confermata:")
    text = confirmation.get_body(("plain",)).get_content()
    assert long_date(start, "it") in text  # e.g. "mercoledì 2 dicembre 2026"
    manage = re.search(rf"{re.escape(site)}/manage/[A-Za-z0-9_-]{{43}}", text).group(0)

    # The manage page opens in the booking's language; the client switches to English
    page.goto(manage)
    expect(page.get_by_role("heading", level=1)).to_have_text("La tua prenotazione")
    page.get_by_role("navigation", name="Lingua").get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_page(page, "manage (en)")

    page.get_by_role("link", name="Reschedule").click()
    offered = choose_a_time_next_month(page, "Next month ›", "times in")
    assert all(re.fullmatch(r"\d\d:\d\d", label) for label in offered)  # still a Rome visitor's clock
    expect(page.get_by_role("heading", level=1)).to_have_text("Move your booking?")
    page.get_by_role("button", name="Yes, move my booking").click()
    expect(page.get_by_role("status").first).to_contain_text("Your booking has moved")
    check_page(page, "manage after the move (en)")

    moved = stored_booking()
    assert moved.locale == "en"
    update = wait_for_email(mailbox, CLIENT, "Rescheduled:")
    new_start = moved.scheduled_at.astimezone(get_zone(moved.timezone))
    assert long_date(new_start, "en") in update.get_body(("plain",)).get_content()
