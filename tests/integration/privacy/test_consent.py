"""Marketing consent: the booking form explains the data use and links the notice; the optional box
(site form and API) is recorded with its time and text version, and never presumed."""
from tests.integration.privacy.conftest import NOW
from tests.integration.public.test_public_pages import booking_form, form_fields
from webapp.extensions import db
from webapp.models import Booking
from webapp.services.consent import CONSENT_VERSION
from webapp.services.settings import save_settings

API_BOOKING = {"client_name": "Mario Rossi", "client_email": "mario@example.com",
               "service_type": "consultation", "scheduled_at": "2026-11-30T10:00:00",
               "timezone": "Europe/Rome", "meeting_provider": "jitsi"}


def only_booking() -> Booking:
    """Return the one stored booking."""
    db.session.rollback()
    return db.session.scalars(db.select(Booking)).one()


def test_the_form_says_what_is_done_with_the_data_and_links_the_notice(client):
    save_settings(privacy_notice_url="https://studio.example/privacy", retention_days=200)
    _, html = booking_form(client)
    assert "erased 200 days after" in html
    assert 'href="https://studio.example/privacy"' in html
    assert 'name="marketing_consent"' in html and "checked" not in html.split('name="marketing_consent"')[0][-80:]


def test_a_ticked_box_is_recorded_with_time_and_version(client):
    url, html = booking_form(client)
    response = client.post("/book/consultation/details", data=form_fields(url, html, marketing_consent="y"))
    assert response.status_code == 303
    booking = only_booking()
    assert (booking.marketing_consent, booking.marketing_consent_at, booking.marketing_consent_version) == (
        True, NOW, CONSENT_VERSION)


def test_an_unticked_box_records_no_consent(client):
    url, html = booking_form(client)
    assert client.post("/book/consultation/details", data=form_fields(url, html)).status_code == 303
    booking = only_booking()
    assert (booking.marketing_consent, booking.marketing_consent_at, booking.marketing_consent_version) == (
        False, None, None)


def test_the_api_records_consent(client):
    response = client.post("/api/v1/booking/bookings", json={**API_BOOKING, "marketing_consent": True})
    assert response.status_code == 201
    booking = only_booking()
    assert (booking.marketing_consent, booking.marketing_consent_at, booking.marketing_consent_version) == (
        True, NOW, CONSENT_VERSION)


def test_the_api_refuses_consent_that_is_not_a_boolean(client):
    response = client.post("/api/v1/booking/bookings", json={**API_BOOKING, "marketing_consent": "yes"})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"marketing_consent": "Give true or false."}
    assert db.session.scalars(db.select(Booking)).all() == []
