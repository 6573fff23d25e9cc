"""Admin sessions end server-side: a cookie kept from before logout, a new password or "sign out
everywhere" opens nothing and changes nothing, on a real server; idle and absolute lifetimes hold."""
import re
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from tests.conftest import csrf_from
from tests.factories import store_booking
from tests.integration.admin.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from webapp.extensions import db
from webapp.models import Booking
from webapp.services.admin_accounts import create_admin

NOW = datetime(2030, 1, 7, 9, tzinfo=timezone.utc)


@pytest.fixture
def app_config() -> dict:
    """A clock the test moves (the live server reads it on every request); short lifetimes."""
    return {"CLOCK": lambda: NOW, "ADMIN_SESSION_IDLE_MINUTES": 30, "ADMIN_SESSION_MAX_HOURS": 8}


def logged_in(server: str) -> httpx.Client:
    """Return an HTTP client of `server` that logged in as the admin through the form."""
    browser = httpx.Client(base_url=server, follow_redirects=False, timeout=30)
    token = csrf_from(browser.get("/admin/login").text)
    answer = browser.post("/admin/login", data={"csrf_token": token, "email": ADMIN_EMAIL,
                                                "password": ADMIN_PASSWORD})
    assert answer.status_code == 303
    return browser


class Stolen:
    """A copy of a logged-in admin's cookie and of a valid CSRF token, as an attacker keeps them."""

    def __init__(self, server: str, browser: httpx.Client):
        """Copy the cookie and the dashboard's CSRF token of `browser`."""
        self.token = csrf_from(browser.get("/admin/").text)
        self.client = httpx.Client(base_url=server, follow_redirects=False, timeout=30,
                                   cookies=dict(browser.cookies))

    def opens_the_dashboard(self) -> bool:
        """Tell whether the kept cookie still opens the dashboard."""
        answer = self.client.get("/admin/")
        if answer.status_code == 200:
            return True
        assert answer.status_code == 302 and "/admin/login" in answer.headers["Location"]
        return False

    def cancel(self, booking_id: int) -> httpx.Response:
        """Try to cancel a booking with the kept cookie and CSRF token."""
        return self.client.post(f"/admin/bookings/{booking_id}/cancel",
                                data={"csrf_token": self.token, "cancellation_reason": "stolen"})


@pytest.fixture
def booking(app) -> Booking:
    """A confirmed booking next week."""
    return store_booking(scheduled_at=NOW + timedelta(days=7), status="confirmed")


def status_of(booking_id: int) -> str:
    """Return the booking's status as the database has it now."""
    db.session.remove()
    return db.session.get(Booking, booking_id).status


def log_out(server: str, browser: httpx.Client) -> None:
    """Press "Log out"."""
    token = csrf_from(browser.get("/admin/").text)
    assert browser.post("/admin/logout", data={"csrf_token": token}).status_code == 303


def press_sign_out_everywhere(server: str, browser: httpx.Client) -> None:
    """Press the dashboard's "Sign out everywhere" button."""
    page = browser.get("/admin/").text
    assert "Sign out everywhere" in page
    token = csrf_from(page)
    assert browser.post("/admin/sign-out-everywhere", data={"csrf_token": token}).status_code == 303


def change_the_password(server: str, browser: httpx.Client) -> None:
    """Set a new password (as `flask create-admin` does for an existing email)."""
    create_admin(ADMIN_EMAIL, "a brand new password")


def run_the_command(server: str, browser: httpx.Client) -> None:
    """Run `flask sign-out-everywhere EMAIL`."""
    from flask import current_app

    result = current_app.test_cli_runner().invoke(args=["sign-out-everywhere", ADMIN_EMAIL])
    assert result.exit_code == 0 and "ended every session" in result.output


@pytest.mark.parametrize("ending", [log_out, press_sign_out_everywhere, change_the_password,
                                    run_the_command], ids=lambda f: f.__name__)
def test_a_cookie_kept_from_before_cannot_open_or_change_anything(live_server, admin_user, booking,
                                                                   ending):
    browser = logged_in(live_server)
    stolen = Stolen(live_server, browser)
    assert stolen.opens_the_dashboard()
    ending(live_server, browser)
    assert not stolen.opens_the_dashboard()
    refused = stolen.cancel(booking.id)
    assert refused.status_code in (302, 303) and "/admin/login" in refused.headers["Location"]
    assert status_of(booking.id) == "confirmed"


def test_the_command_without_an_email_signs_every_admin_out(live_server, admin_user, app):
    stolen = Stolen(live_server, logged_in(live_server))
    result = app.test_cli_runner().invoke(args=["sign-out-everywhere"])
    assert result.exit_code == 0 and "1 admin" in result.output
    assert not stolen.opens_the_dashboard()


def test_logging_in_again_after_logout_works(live_server, admin_user):
    browser = logged_in(live_server)
    log_out(live_server, browser)
    assert logged_in(live_server).get("/admin/").status_code == 200


def test_an_idle_session_ends(app, live_server, admin_user):
    browser = logged_in(live_server)
    app.config["CLOCK"] = lambda: NOW + timedelta(minutes=29)
    assert browser.get("/admin/").status_code == 200  # activity keeps it alive ...
    app.config["CLOCK"] = lambda: NOW + timedelta(minutes=29 + 29)
    assert browser.get("/admin/").status_code == 200
    app.config["CLOCK"] = lambda: NOW + timedelta(minutes=29 + 29 + 31)  # ... idleness ends it
    assert browser.get("/admin/").status_code == 302


def test_a_session_ends_after_its_absolute_lifetime_even_when_busy(app, live_server, admin_user):
    browser = logged_in(live_server)
    for minutes in range(20, 8 * 60, 20):
        app.config["CLOCK"] = lambda m=minutes: NOW + timedelta(minutes=m)
        assert browser.get("/admin/").status_code == 200
    app.config["CLOCK"] = lambda: NOW + timedelta(hours=8, minutes=1)
    assert browser.get("/admin/").status_code == 302


def test_the_lifetimes_come_from_the_environment(monkeypatch, tmp_path):
    from webapp import create_app

    monkeypatch.setenv("ADMIN_SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("ADMIN_SESSION_MAX_HOURS", "4")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["ADMIN_SESSION_IDLE_MINUTES"] == 15
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=4)


def test_the_dashboard_button_is_a_csrf_protected_post(live_server, admin_user):
    browser = logged_in(live_server)
    assert browser.get("/admin/sign-out-everywhere").status_code == 405
    assert browser.post("/admin/sign-out-everywhere", data={}).status_code == 400
    assert re.search(r"Sign out everywhere", browser.get("/admin/").text)
