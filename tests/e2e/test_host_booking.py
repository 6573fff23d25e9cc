"""A client books "anyone", then a named host, of a service two hosts give, in Chromium."""
import re
from datetime import time

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import fill_client, go_to_next_month, open_first_free_day
from tests.factories import create_rule, create_service_type
from webapp.extensions import db
from webapp.models import Booking
from webapp.models.host import CLIENT_CHOOSES
from webapp.services.hosts import save_host, set_service_hosts


@pytest.fixture
def browser_context_args(browser_context_args):
    """Browse from the business zone, so the page keeps the zone it opened with."""
    return {**browser_context_args, "timezone_id": "Europe/Rome"}


@pytest.fixture
def team(app):
    """A client-chooses "Team call" given by Ann and Bob, every day 09:00-17:00 (Rome)."""
    create_service_type(key="team", name="Team call")
    hosts = [save_host(name=name, email=f"{name.split()[0].lower()}@studio.example", timezone="Europe/Rome")
             for name in ("Ann Smith", "Bob Jones")]
    for host in hosts:
        for day in range(7):
            create_rule(host_id=host.id, service_type="team", day_of_week=day, start_time=time(9),
                        end_time=time(17))
    set_service_hosts("team", [host.id for host in hosts], CLIENT_CHOOSES)
    return hosts


def book_first_time_next_month(page: Page, name: str) -> None:
    """From a calendar page, book next month's first free time as `name`."""
    go_to_next_month(page)
    open_first_free_day(page)
    page.locator("a.time").first.click()
    fill_client(page, name, f"{name.split()[0].lower()}@example.com")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking is confirmed")


def test_client_books_anyone_then_a_named_host(page: Page, live_server, team):
    page.goto(live_server + "/book/team?tz=Europe/Rome")
    expect(page.get_by_label("With")).to_have_value("")  # "Anyone" is the default choice
    book_first_time_next_month(page, "Mario Rossi")
    expect(page.locator("dd.hosts")).to_have_text("Ann Smith")  # both free: the lower id first

    page.goto(live_server + "/book/team?tz=Europe/Rome")
    page.get_by_label("With").select_option(label="Bob Jones")
    page.get_by_role("button", name="Show times").click()
    expect(page).to_have_url(re.compile(r"host=bob-jones"))
    go_to_next_month(page)
    open_first_free_day(page)
    page.locator("a.time").first.click()
    expect(page.get_by_text("With Bob Jones")).to_be_visible()
    fill_client(page, "Lucia Bianchi", "lucia@example.com")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking is confirmed")
    expect(page.locator("dd.hosts")).to_have_text("Bob Jones")

    db.session.remove()
    held = {b.client_name: [h.name for h in b.hosts] for b in db.session.scalars(db.select(Booking))}
    assert held == {"Mario Rossi": ["Ann Smith"], "Lucia Bianchi": ["Bob Jones"]}
