"""The manage pages: view, .ics, Google link, cancel and reschedule with their confirmation steps."""
import re
from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

from icalendar import Calendar

from tests.conftest import csrf_from
from tests.integration.manage.conftest import rome
from webapp.extensions import db
from webapp.mail.references import booking_reference
from webapp.models import Booking

MONDAY = date(2026, 11, 30)
TUESDAY = date(2026, 12, 1)


def refreshed(booking: Booking) -> Booking:
    """Return the booking as stored now."""
    db.session.expire_all()
    return db.session.get(Booking, booking.id)


def test_manage_page_shows_the_booking_in_the_clients_zone(client, book):
    booking, token = book(rome(MONDAY, 10), timezone="America/New_York")
    page = client.get(f"/manage/{token}")
    assert page.status_code == 200
    assert "Monday 30 November 2026, 04:00–04:30 (America/New_York" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert f"/manage/{token}/reschedule" in page.text and f"/manage/{token}/cancel" in page.text


def test_confirmation_page_links_to_the_manage_page(client, book):
    _, token = book(rome(MONDAY, 10))
    assert f"/manage/{token}" in client.get(f"/booking/{token}").text


def test_ics_download_is_the_invite_with_the_booking_uid(client, book):
    booking, token = book(rome(MONDAY, 10))
    response = client.get(f"/manage/{token}/booking.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = Calendar.from_ical(response.data)
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]).startswith(booking_reference(booking.uid) + "@")
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == rome(MONDAY, 10)


def test_google_calendar_link_carries_the_times_in_utc(client, book):
    _, token = book(rome(MONDAY, 10))
    link = re.search(r'href="(https://calendar\.google\.com/[^"]+)"', client.get(f"/manage/{token}").text)
    query = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    assert query["action"] == ["TEMPLATE"]
    assert query["dates"] == ["20261130T090000Z/20261130T093000Z"]


def test_get_of_cancel_only_asks_for_confirmation(client, book):
    booking, token = book(rome(MONDAY, 10))
    page = client.get(f"/manage/{token}/cancel")
    assert page.status_code == 200 and "Yes, cancel my booking" in page.text
    assert refreshed(booking).status == "pending"


def test_cancel_with_reason_frees_the_time_and_turns_the_ics_into_a_cancel(client, book):
    booking, token = book(rome(MONDAY, 10))
    assert ">10:00<" not in client.get(f"/book/consultation?tz=Europe/Rome&day={MONDAY}").text
    csrf = csrf_from(client.get(f"/manage/{token}/cancel").text)
    response = client.post(f"/manage/{token}/cancel",
                           data={"csrf_token": csrf, "cancellation_reason": "Changed my mind"})
    assert response.status_code == 303 and response.location.endswith(f"/manage/{token}")
    stored = refreshed(booking)
    assert (stored.status, stored.cancellation_reason, stored.version) == ("cancelled", "Changed my mind", 1)
    assert "This booking is cancelled" in client.get(f"/manage/{token}").text
    calendar = Calendar.from_ical(client.get(f"/manage/{token}/booking.ics").data)
    assert calendar["METHOD"] == "CANCEL" and calendar.walk("VEVENT")[0]["SEQUENCE"] == 1
    day = client.get(f"/book/consultation?tz=Europe/Rome&day={MONDAY}").text
    assert ">10:00<" in day


def test_cancel_without_csrf_token_changes_nothing(client, book):
    booking, token = book(rome(MONDAY, 10))
    assert client.post(f"/manage/{token}/cancel", data={}).status_code == 400
    assert refreshed(booking).status == "pending"


def reschedule_link(client, token: str, day: date, label: str) -> str:
    """Open the reschedule picker on `day` and return the link of the time shown as `label`."""
    page = client.get(f"/manage/{token}/reschedule?day={day}")
    assert page.status_code == 200
    match = re.search(rf'class="time" href="([^"]+)">{label}<', page.text)
    assert match, f"{label} not offered on {day}"
    return match.group(1).replace("&amp;", "&")


def test_reschedule_picker_offers_the_bookings_own_time(client, book):
    _, token = book(rome(MONDAY, 10))
    assert reschedule_link(client, token, MONDAY, "10:00")


def test_reschedule_picker_is_a_fragment_for_htmx(client, book):
    _, token = book(rome(MONDAY, 10))
    partial = client.get(f"/manage/{token}/reschedule?day={TUESDAY}", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.text
    assert f"/manage/{token}/reschedule/confirm" in partial.text
    assert "HX-Request" in partial.headers["Vary"]


def test_reschedule_moves_the_booking_after_confirmation(client, book):
    booking, token = book(rome(MONDAY, 10))
    confirm_url = reschedule_link(client, token, TUESDAY, "15:30")
    confirm = client.get(confirm_url)
    assert confirm.status_code == 200 and "Yes, move my booking" in confirm.text
    assert refreshed(booking).scheduled_at == rome(MONDAY, 10), "a GET must not move anything"
    query = parse_qs(urlsplit(confirm_url).query)
    response = client.post(f"/manage/{token}/reschedule", data={
        "csrf_token": csrf_from(confirm.text), "start": unquote(query["start"][0]),
        "tz": query["tz"][0], "duration": query["duration"][0]})
    assert response.status_code == 303
    stored = refreshed(booking)
    assert (stored.scheduled_at, stored.ends_at, stored.version) == (
        rome(TUESDAY, 15, 30), rome(TUESDAY, 16), 1)
    assert ">10:00<" in client.get(f"/book/consultation?tz=Europe/Rome&day={MONDAY}").text


def test_reschedule_to_a_taken_time_shows_the_picker_and_keeps_the_booking(client, book):
    booking, token = book(rome(MONDAY, 10))
    confirm_url = reschedule_link(client, token, TUESDAY, "15:30")
    confirm = client.get(confirm_url)
    book(rome(TUESDAY, 15, 30), email="luigi@example.com")
    query = parse_qs(urlsplit(confirm_url).query)
    response = client.post(f"/manage/{token}/reschedule", data={
        "csrf_token": csrf_from(confirm.text), "start": unquote(query["start"][0]),
        "tz": query["tz"][0], "duration": query["duration"][0]})
    assert response.status_code == 409
    assert "just taken" in response.text and "data-picker" in response.text
    stored = refreshed(booking)
    assert (stored.scheduled_at, stored.version) == (rome(MONDAY, 10), 0)


def test_reschedule_with_a_garbled_start_is_a_400(client, book):
    booking, token = book(rome(MONDAY, 10))
    csrf = csrf_from(client.get(f"/manage/{token}/cancel").text)
    response = client.post(f"/manage/{token}/reschedule", data={
        "csrf_token": csrf, "start": "next tuesday", "tz": "Europe/Rome", "duration": "30"})
    assert response.status_code == 400
    assert refreshed(booking).version == 0


def test_cancelled_booking_offers_no_changes(client, book):
    booking, token = book(rome(MONDAY, 10))
    csrf = csrf_from(client.get(f"/manage/{token}/cancel").text)
    client.post(f"/manage/{token}/cancel", data={"csrf_token": csrf})
    assert client.get(f"/manage/{token}/reschedule").status_code == 409
    again = client.post(f"/manage/{token}/cancel", data={"csrf_token": csrf})
    assert again.status_code == 409 and "can no longer be changed" in again.text
    assert refreshed(booking).version == 1


def test_confirm_page_with_an_unknown_zone_is_a_400(client, book):
    _, token = book(rome(MONDAY, 10))
    response = client.get(f"/manage/{token}/reschedule/confirm",
                          query_string={"start": "2026-12-01T14:30:00+00:00", "tz": "Mars/Base",
                                        "duration": "30"})
    assert response.status_code == 400


def test_reschedule_without_csrf_token_changes_nothing(client, book):
    booking, token = book(rome(MONDAY, 10))
    response = client.post(f"/manage/{token}/reschedule", data={
        "start": rome(TUESDAY, 15, 30).isoformat(), "tz": "Europe/Rome", "duration": "30"})
    assert response.status_code == 400
    assert refreshed(booking).version == 0


def test_reschedule_picker_is_the_whole_page_for_an_htmx_history_restore(client, book):
    _, token = book(rome(MONDAY, 10))
    restored = client.get(f"/manage/{token}/reschedule?day={TUESDAY}",
                          headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert restored.status_code == 200
    assert "<html" in restored.text and "Choose a new time" in restored.text
    assert f"/manage/{token}/reschedule/confirm" in restored.text  # the day's times are there
    assert "HX-History-Restore-Request" in restored.headers["Vary"]
