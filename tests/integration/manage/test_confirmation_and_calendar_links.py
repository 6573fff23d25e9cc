"""What the client reads after booking and on the manage page: status, start–end, calendars."""
from datetime import date

from tests.integration.manage.conftest import rome
from webapp.extensions import db

MONDAY = date(2026, 11, 30)
JANUARY = date(2027, 1, 11)


def test_a_service_that_confirms_itself_is_confirmed_at_once(client, book):
    booking, token = book(rome(MONDAY, 10))
    assert booking.status == "pending"  # the outbox confirms it a second later
    page = client.get(f"/booking/{token}").text
    assert "Your booking is confirmed" in page and '<dd class="status">Confirmed</dd>' in page
    assert "Monday 30 November 2026, 10:00–10:30 (Europe/Rome, UTC+0100)" in page


def test_a_service_needing_approval_is_received_and_awaits_it(client, book):
    _, token = book(rome(MONDAY, 10), service_type="training", duration_minutes=60)
    page = client.get(f"/booking/{token}").text
    assert "Your booking is received" in page and "Awaiting approval" in page


def test_the_confirmation_offers_every_calendar(client, book):
    _, token = book(rome(MONDAY, 10))
    page = client.get(f"/booking/{token}").text
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in page
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in page
    assert "https://outlook.office.com/calendar/0/deeplink/compose?" in page
    assert "startdt=2026-11-30T09%3A00%3A00%2B00%3A00" in page
    assert f'href="/manage/{token}/booking.ics" download' in page


def test_a_cancelled_booking_shows_no_meeting_link_and_no_add_to_calendar(client, book):
    booking, token = book(rome(MONDAY, 10))
    booking.meeting_url, booking.status = "https://meet.example/abc", "cancelled"
    db.session.commit()
    page = client.get(f"/manage/{token}").text
    assert "https://meet.example/abc" not in page
    assert "Add to your calendar" not in page and "calendar.google.com" not in page
    assert "Remove it from your calendar" in page


def test_the_meeting_link_shows_while_the_booking_is_live(client, book):
    booking, token = book(rome(MONDAY, 10))
    booking.meeting_url = "https://meet.example/abc"
    db.session.commit()
    assert 'href="https://meet.example/abc"' in client.get(f"/booking/{token}").text


def test_manage_page_has_one_primary_action_and_a_destructive_cancel(client, book):
    _, token = book(rome(MONDAY, 10))
    page = client.get(f"/manage/{token}").text
    assert f'<a class="button" href="/manage/{token}/reschedule">Reschedule</a>' in page
    assert f'<a class="button secondary danger" href="/manage/{token}/cancel">Cancel booking</a>' in page
    assert page.count('class="button"') == 1


def test_reschedule_opens_on_the_bookings_month(client, book):
    _, token = book(rome(JANUARY, 10))
    page = client.get(f"/manage/{token}/reschedule").text
    assert '<h2 class="month-title" tabindex="-1" data-focus-after-swap>January 2027</h2>' in page
