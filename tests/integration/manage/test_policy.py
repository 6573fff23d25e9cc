"""The self-service window: no online change within N hours of the start."""
from datetime import timedelta

import pytest

from tests.conftest import csrf_from
from tests.factories import store_booking
from tests.integration.manage.conftest import NOW
from webapp.extensions import db
from webapp.models import Booking
from webapp.services.bookings import reschedule_booking
from webapp.services.errors import NotAllowed
from webapp.services.self_service import cancel_as_client, change_refusal, reschedule_as_client
from webapp.services.settings import save_settings


def test_a_booking_just_outside_the_window_can_be_changed(app, book):
    booking, _ = book(NOW + timedelta(hours=24))
    assert change_refusal(booking, NOW) is None


def test_a_booking_inside_the_window_cannot_be_changed_and_names_the_contact(app):
    booking = store_booking(scheduled_at=NOW + timedelta(hours=23, minutes=59))
    message = change_refusal(booking, NOW)
    assert "less than 24 hours" in message and "owner@studio.example" in message


def test_the_window_follows_the_setting(app):
    booking = store_booking(scheduled_at=NOW + timedelta(hours=23, minutes=30))
    save_settings(self_service_cutoff_hours=2)
    assert change_refusal(booking, NOW) is None
    assert "less than 2 hours" in change_refusal(booking, booking.scheduled_at - timedelta(hours=1))


@pytest.mark.parametrize("change", [
    lambda booking: cancel_as_client(booking, "late", NOW),
    lambda booking: reschedule_as_client(booking, NOW + timedelta(days=6), NOW),
])
def test_services_refuse_changes_inside_the_window(app, book, change):
    booking, _ = book(NOW + timedelta(hours=3))
    with pytest.raises(NotAllowed):
        change(booking)
    db.session.expire_all()
    stored = db.session.get(Booking, booking.id)
    assert (stored.status, stored.scheduled_at, stored.version) == ("pending", NOW + timedelta(hours=3), 0)


def test_manage_page_inside_the_window_shows_the_contact_instead_of_buttons(client, book):
    _, token = book(NOW + timedelta(hours=3))
    page = client.get(f"/manage/{token}").text
    assert "owner@studio.example" in page
    assert f"/manage/{token}/cancel" not in page and f"/manage/{token}/reschedule" not in page
    assert client.get(f"/manage/{token}/reschedule").status_code == 409


def test_posted_cancel_inside_the_window_is_refused(client, book):
    booking, token = book(NOW + timedelta(hours=3))
    csrf = csrf_from(client.get("/manage/lost").text)
    response = client.post(f"/manage/{token}/cancel", data={"csrf_token": csrf})
    assert response.status_code == 409 and "owner@studio.example" in response.text
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == "pending"


@pytest.mark.parametrize("change", [
    lambda booking: cancel_as_client(booking, "late", NOW),
    lambda booking: reschedule_as_client(booking, NOW + timedelta(days=6), NOW),
])
def test_the_window_is_checked_on_the_booking_as_stored_not_as_last_seen(app, book, change):
    booking, _ = book(NOW + timedelta(days=5))  # next Monday
    stale = Booking(id=booking.id, scheduled_at=booking.scheduled_at, status=booking.status)
    # Meanwhile an admin moved it to three hours from now, inside the window.
    reschedule_booking(booking.id, NOW + timedelta(hours=3), NOW)
    with pytest.raises(NotAllowed, match="less than 24 hours"):
        change(stale)
    db.session.rollback()
    assert db.session.get(Booking, booking.id).scheduled_at == NOW + timedelta(hours=3)
