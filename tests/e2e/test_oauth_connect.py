"""An admin connects Google through the authorisation-code flow; a client's booking gets a Meet link."""
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import choose_first_time_next_month, fill_client
from tests.integration.integrations.support import integration, provider_config
from tests.integration.notifications.support import rows
from tests.stubs.fixtures import google_oauth_stub, google_stub  # noqa: F401  (fixtures)
from webapp import clock
from webapp.extensions import db
from webapp.models import Booking
from webapp.outbox.perform import perform
from webapp.services.admin_accounts import create_admin

ADMIN, PASSWORD = "owner@studio.example", "correct horse battery"


@pytest.fixture
def app_config(google_stub, google_oauth_stub):
    """Google's OAuth server and Calendar API are the local stubs."""
    return provider_config({"google_meet": google_stub}, {"google_meet": google_oauth_stub})


def perform_outbox() -> None:
    """Do what the worker would: perform every due outbox row."""
    while ids := [r.id for r in rows() if r.status == "pending" and r.due_at <= clock.now()]:
        for row_id in ids:
            perform(row_id, clock.now())


def test_admin_connects_google_and_a_booking_gets_a_calendar_event_with_a_meet_link(
        page: Page, live_server, google_stub, google_oauth_stub):
    create_admin(ADMIN, PASSWORD)
    page.goto(live_server + "/admin/login")
    page.get_by_role("textbox", name="Email").fill(ADMIN)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(live_server + "/admin/integrations")
    page.get_by_role("button", name="Connect Google Meet").click()

    # The stub approved at once and sent the browser back to our callback with code + state.
    expect(page.get_by_text("Google Meet is connected.")).to_be_visible()
    expect(page.locator("#integration-google_meet")).to_have_attribute("data-status", "connected")
    expect(page.get_by_role("button", name="Disconnect Google Meet")).to_be_visible()
    authorize = google_oauth_stub.calls("GET")[0]
    assert authorize.query["code_challenge_method"] == "S256" and authorize.query["state"]
    assert authorize.query["redirect_uri"] == f"{live_server}/api/v1/integrations/google/callback"
    assert integration("google_meet").status == "connected"

    page.goto(live_server + "/book/consultation")
    choose_first_time_next_month(page)
    fill_client(page, "Ada Lovelace", "ada@example.com")
    page.get_by_label("Video call").select_option("google_meet")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking is confirmed")

    perform_outbox()

    db.session.remove()
    booking = db.session.scalar(db.select(Booking))
    assert booking.status == "confirmed" and booking.meeting_provider == "google_meet"
    event = google_stub.events[booking.meeting_id]
    assert event["attendees"] == [{"email": "ada@example.com", "displayName": "Ada Lovelace"}]
    assert booking.meeting_url == event["hangoutLink"]
    assert google_stub.calls("POST")[0].header("authorization").startswith("Bearer at-")
    page.reload()
    expect(page.get_by_role("link", name=booking.meeting_url)).to_have_attribute("href", booking.meeting_url)
