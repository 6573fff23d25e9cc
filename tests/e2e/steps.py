"""Steps the browser stories share: a client choosing a time and giving their details."""
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Locator, Page, expect

#: a month title in Italian, like "dicembre 2026"
ITALIAN_MONTH_TITLE = re.compile(r"^(gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre"
                                 r"|novembre|dicembre) \d{4}$")


def go_to_next_month(page: Page) -> None:
    """On a calendar page, show next month and wait until it is drawn."""
    this_month = page.locator(".month-title").inner_text()
    page.get_by_role("link", name="Next month ›").click()
    expect(page.locator(".month-title")).not_to_have_text(this_month)  # the swap landed


#: how far ahead the first day a story books lies: past the 24-hour cutoff for changes by the
#: client, whatever today is (on a month's last day, next month's first day is tomorrow)
DAYS_AHEAD = 2


def first_free_day_ahead(page: Page) -> Locator:
    """Return the link of the shown month's first free day at least DAYS_AHEAD days from today."""
    earliest = date.today() + timedelta(days=DAYS_AHEAD)
    for link in page.locator("td.open a").all():
        [day] = parse_qs(urlsplit(link.get_attribute("href")).query)["day"]
        if date.fromisoformat(day) >= earliest:
            return link
    raise AssertionError(f"no free day from {earliest} on in the month shown")


def open_first_free_day(page: Page, times_in: str = "times in") -> None:
    """Choose the first day with free times (DAYS_AHEAD days away or more) and wait for its times."""
    first_free_day_ahead(page).click()
    expect(page.get_by_role("heading", level=3)).to_contain_text(times_in)


def choose_first_time_next_month(page: Page) -> None:
    """On a calendar page, open next month's first free time (its details form)."""
    go_to_next_month(page)
    open_first_free_day(page)
    page.locator("a.time").first.click()


def fill_client(page: Page, name: str, email: str) -> None:
    """Type the client's name and email into the booking form."""
    page.get_by_label("Your name").fill(name)
    page.get_by_role("textbox", name="Email").fill(email)


ADMIN_EMAIL, ADMIN_PASSWORD = "admin@studio.example", "correct horse battery"


def log_in_admin(page: Page, base: str, password: str = ADMIN_PASSWORD) -> None:
    """Fill and send the admin login form (the `admin` fixture's account)."""
    page.goto(base + "/admin/login")
    page.get_by_role("textbox", name="Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
