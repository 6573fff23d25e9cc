"""An Italian browser books in Italian and gets Italian email; switching to English on the manage
page moves the booking in English, and the next email follows."""
import re
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Page, expect

from tests.e2e.axe import check_page
from tests.integration.mail.support import Inbox, free_port
from webapp.extensions import db
from webapp.mail.language import long_date
from webapp.models import Booking
from webapp.scheduling import get_zone

CLIENT = "giulia@example.com"
ITALIAN_MONTHS = ("gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre"
                  "|dicembre")


@pytest.fixture
def smtp_sink():
    """A real SMTP server on loopback that keeps every message; yields (inbox, port)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def app_config(smtp_sink):
    """Send mail to the sink, in process after commit (no REDIS_URL), with the real clock."""
    _, port = smtp_sink
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False,
            "JOBS_AUTOSTART": True, "FROM_EMAIL": "noreply@studio.example"}


@pytest.fixture
def site(app, live_server):
    """The live site, its links in emails pointing at itself; stops the job thread after."""
    app.config["BASE_URL"] = live_server
    yield live_server
    from webapp import outbox

    outbox.runner(app).stop()


@pytest.fixture
def browser_context_args(browser_context_args):
    """An Italian browser in Rome (Accept-Language: it-IT), that lets axe-core be injected."""
    return {**browser_context_args, "locale": "it-IT", "timezone_id": "Europe/Rome", "bypass_csp": True}


def wait_for_email(inbox: Inbox, subject_start: str, timeout: float = 30) -> EmailMessage:
    """Return the first message to the client whose subject starts with `subject_start`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for envelope in list(inbox.envelopes):
            message = message_from_bytes(envelope.content, policy=policy.default)
            if CLIENT in envelope.rcpt_tos and message["Subject"].startswith(subject_start):
                return message
        time.sleep(0.1)
    subjects = [message_from_bytes(e.content, policy=policy.default)["Subject"] for e in inbox.envelopes]
    raise AssertionError(f"no {subject_start!r} email arrived; got {subjects}")


def stored_booking() -> Booking:
    """Return the one booking as stored now."""
    db.session.remove()
    return db.session.scalar(db.select(Booking))


def choose_a_time_next_month(page: Page, next_month: str, times_in: str) -> list[str]:
    """Show next month, open its first free day and choose its first time; return the times offered."""
    title = page.locator(".month-title").inner_text()
    page.get_by_role("link", name=next_month).click()
    expect(page.locator(".month-title")).not_to_have_text(title)
    page.locator("td.open a").first.click()
    expect(page.get_by_role("heading", level=3)).to_contain_text(times_in)
    offered = page.locator("a.time").all_inner_texts()
    page.locator("a.time").first.click()
    return offered


def test_an_italian_client_books_in_italian_then_switches_to_english(page: Page, site, smtp_sink):
    inbox, _ = smtp_sink
    page.goto(site + "/book/consultation")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.locator(".month-title")).to_have_text(re.compile(rf"^({ITALIAN_MONTHS}) \d{{4}}$"))
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
    confirmation = wait_for_email(inbox, "Confermata:")
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
    update = wait_for_email(inbox, "Rescheduled:")
    new_start = moved.scheduled_at.astimezone(get_zone(moved.timezone))
    assert long_date(new_start, "en") in update.get_body(("plain",)).get_content()
