"""The booking list, CSV export and a booking's actions (htmx fragment or full page)."""
import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from tests.factories import store_booking
from tests.integration.admin.conftest import post_form, reloaded
from webapp.extensions import db
from webapp.models import Booking, BookingFollowUp, OutboxMessage

HX = {"HX-Request": "true"}


def soon(days: int = 3, hour: int = 9) -> datetime:
    """Return an instant `days` ahead at a round hour (UTC)."""
    return (datetime.now(timezone.utc) + timedelta(days=days)).replace(hour=hour, minute=0, second=0,
                                                                        microsecond=0)


def test_the_list_filters_by_text_status_and_date(admin_client):
    store_booking(client_name="Anna Bianchi", client_company="Acme 100%", status="confirmed",
                   scheduled_at=datetime(2030, 1, 7, 9, tzinfo=timezone.utc))
    store_booking(client_name="Carlo Verdi", status="pending",
                   scheduled_at=datetime(2030, 1, 9, 9, tzinfo=timezone.utc))
    def names(query: str) -> list[str]:
        html = admin_client.get("/admin/bookings" + query).get_data(as_text=True)
        return [name for name in ("Anna Bianchi", "Carlo Verdi") if name in html]
    assert names("") == ["Anna Bianchi", "Carlo Verdi"]
    assert names("?q=acme+100%25") == ["Anna Bianchi"]
    assert names("?q=%25") == ["Anna Bianchi"]  # a literal %, not a wildcard
    assert names("?status=pending") == ["Carlo Verdi"]
    assert names("?date_from=2030-01-08") == ["Carlo Verdi"]
    assert names("?date_to=2030-01-07") == ["Anna Bianchi"]


def test_a_bad_filter_is_explained(admin_client):
    response = admin_client.get("/admin/bookings?date_from=yesterday")
    assert response.status_code == 422
    assert "Use a date such as" in response.get_data(as_text=True)


def test_the_list_is_paginated_and_htmx_gets_only_the_rows(admin_client):
    for day in range(30):
        store_booking(client_name=f"Client {day:02d}",
                       scheduled_at=datetime(2030, 1, 1, 9, tzinfo=timezone.utc) + timedelta(days=day))
    first = admin_client.get("/admin/bookings").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Client 29" in first and "Client 00" not in first
    second = admin_client.get("/admin/bookings?page=2", headers=HX)
    assert "Client 00" in second.get_data(as_text=True)
    assert "<html" not in second.get_data(as_text=True)
    assert "HX-Request" in second.headers["Vary"]


def test_csv_export_follows_the_filter_and_defuses_formulas(admin_client):
    store_booking(client_name="=HYPERLINK(\"http://evil\")", status="confirmed")
    store_booking(client_name="Other", status="cancelled")
    response = admin_client.get("/admin/bookings.csv?status=confirmed")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["client_name"] for row in rows] == ["'=HYPERLINK(\"http://evil\")"]
    assert rows[0]["status"] == "confirmed"


def test_the_booking_page_shows_every_field(admin_client):
    booking = store_booking(client_phone="+39 06 1234", client_company="Acme", description="About X",
                             client_notes="Ring twice", internal_notes="VIP")
    html = admin_client.get(f"/admin/bookings/{booking.id}").get_data(as_text=True)
    for text in ("Mario Rossi", "mario@example.com", "+39 06 1234", "Acme", "About X", "Ring twice", "VIP",
                 booking.uid, "Europe/Rome"):
        assert text in html


def test_confirm_as_htmx_returns_the_updated_booking_fragment(admin_client):
    booking = store_booking(status="pending", scheduled_at=soon())
    response = post_form(admin_client, f"/admin/bookings/{booking.id}/confirm", {}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "data-booking" in html
    assert "Booking confirmed." in html and "HX-Request" in response.headers["Vary"]
    assert reloaded(Booking, booking.id).status == "confirmed"


def test_confirm_without_javascript_redirects_back_with_a_message(admin_client):
    booking = store_booking(status="pending", scheduled_at=soon())
    response = post_form(admin_client, f"/admin/bookings/{booking.id}/confirm", {})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/admin/bookings/{booking.id}"
    assert "Booking confirmed." in admin_client.get(response.headers["Location"]).get_data(as_text=True)


def test_cancel_with_a_reason_queues_the_clients_email(admin_client):
    booking = store_booking(status="confirmed", scheduled_at=soon())
    response = post_form(admin_client, f"/admin/bookings/{booking.id}/cancel",
                         {"cancellation_reason": "Ill"}, headers=HX)
    assert response.status_code == 200
    stored = reloaded(Booking, booking.id)
    assert (stored.status, stored.cancellation_reason) == ("cancelled", "Ill")
    assert db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.booking_id == booking.id, OutboxMessage.kind == "cancellation")) is not None


@pytest.mark.parametrize("status, action", [("cancelled", "complete"), ("cancelled", "confirm"),
                                            ("completed", "cancel"), ("no_show", "confirm")])
def test_an_action_the_status_does_not_allow_is_refused_in_place(admin_client, status, action):
    booking = store_booking(status=status)
    response = post_form(admin_client, f"/admin/bookings/{booking.id}/{action}", {}, headers=HX)
    assert response.status_code == 409
    assert 'role="alert"' in response.get_data(as_text=True)
    assert reloaded(Booking, booking.id).status == status


def test_complete_and_no_show(admin_client):
    first, second = store_booking(status="confirmed"), store_booking(
        status="confirmed", scheduled_at=datetime(2030, 2, 1, 9, tzinfo=timezone.utc))
    post_form(admin_client, f"/admin/bookings/{first.id}/complete", {"confirmed": "yes"})
    post_form(admin_client, f"/admin/bookings/{second.id}/no-show", {"confirmed": "yes"})
    assert reloaded(Booking, first.id).status == "completed"
    assert reloaded(Booking, second.id).status == "no_show"


@pytest.mark.parametrize("action, label", [("complete", "Mark completed"), ("no-show", "Mark no-show")])
@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_an_outcome_before_the_meeting_is_asked_for_first(admin_client, action, label, headers):
    booking = store_booking(status="confirmed", scheduled_at=soon())
    response = post_form(admin_client, f"/admin/bookings/{booking.id}/{action}", {}, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f"{label} before the meeting?" in html
    assert 'name="confirmed" value="yes"' in html and ("<html" in html) == (not headers)
    assert reloaded(Booking, booking.id).status == "confirmed"

    post_form(admin_client, f"/admin/bookings/{booking.id}/{action}", {"confirmed": "yes"}, headers=headers)
    assert reloaded(Booking, booking.id).status == ("completed" if action == "complete" else "no_show")


def test_an_outcome_after_the_meeting_is_recorded_at_once(admin_client):
    booking = store_booking(status="confirmed", scheduled_at=soon(days=-1))
    response = post_form(admin_client, f"/admin/bookings/{booking.id}/complete", {})
    assert response.status_code == 303
    assert reloaded(Booking, booking.id).status == "completed"


def test_booking_pages_name_the_service_not_its_key(admin_client):
    booking = store_booking(service_type="consultation", scheduled_at=soon())
    for url in (f"/admin/bookings/{booking.id}", "/admin/bookings", "/admin/"):
        html = admin_client.get(url).get_data(as_text=True)
        assert "Consultation" in html and "consultation ·" not in html, url


def test_internal_notes_are_saved_and_too_long_notes_refused(admin_client):
    booking = store_booking()
    post_form(admin_client, f"/admin/bookings/{booking.id}/notes", {"internal_notes": "Pays late"})
    assert reloaded(Booking, booking.id).internal_notes == "Pays late"
    response = post_form(admin_client, f"/admin/bookings/{booking.id}/notes", {"internal_notes": "x" * 10001})
    assert response.status_code == 422
    assert reloaded(Booking, booking.id).internal_notes == "Pays late"


def test_a_follow_up_is_stored_and_queued(admin_client):
    booking = store_booking(status="completed")
    response = post_form(admin_client, f"/admin/bookings/{booking.id}/follow-up",
                         {"subject": "Slides", "message": "Here they are."})
    assert response.status_code == 303
    db.session.rollback()
    follow_up = db.session.scalar(db.select(BookingFollowUp))
    assert (follow_up.subject, follow_up.booking_id) == ("Slides", booking.id)
    assert db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.kind == "follow_up")) is not None


def test_a_follow_up_without_a_subject_is_refused(admin_client):
    booking = store_booking(status="completed")
    response = post_form(admin_client, f"/admin/bookings/{booking.id}/follow-up", {"message": "Hi"})
    assert response.status_code == 422
    db.session.rollback()
    assert db.session.scalar(db.select(BookingFollowUp)) is None


def test_resending_the_confirmation_queues_another_one(admin_client):
    booking = store_booking(status="confirmed", scheduled_at=soon())
    for _ in range(2):
        assert post_form(admin_client, f"/admin/bookings/{booking.id}/resend", {}).status_code == 303
    db.session.rollback()
    rows = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "confirmation")).all()
    assert len(rows) == 2 and all(row.booking_id == booking.id for row in rows)


def test_an_unknown_booking_is_404(admin_client):
    assert admin_client.get("/admin/bookings/999").status_code == 404
    assert post_form(admin_client, "/admin/bookings/999/confirm", {}).status_code == 404


def test_reschedule_offers_free_times_and_moves_the_booking(admin_client):
    booking = store_booking(status="confirmed", scheduled_at=soon(days=7, hour=9))
    page = admin_client.get(f"/admin/bookings/{booking.id}/reschedule?tz=Europe/Rome")
    assert page.status_code == 200 and "data-picker" in page.get_data(as_text=True)
    new_start = soon(days=8, hour=12)
    while new_start.weekday() >= 5:
        new_start += timedelta(days=1)
    confirm = admin_client.get(f"/admin/bookings/{booking.id}/reschedule/confirm",
                               query_string={"start": new_start.isoformat(), "duration": 30})
    assert confirm.status_code == 200 and reloaded(Booking, booking.id).scheduled_at != new_start
    response = post_form(admin_client, f"/admin/bookings/{booking.id}/reschedule",
                         {"start": new_start.isoformat(), "duration": "30"})
    assert response.status_code == 303
    assert reloaded(Booking, booking.id).scheduled_at == new_start


def test_reschedule_onto_a_taken_time_is_refused(admin_client):
    start = soon(days=9, hour=10)
    while start.weekday() >= 5:
        start += timedelta(days=1)
    other = store_booking(status="confirmed", scheduled_at=start)
    booking = store_booking(status="confirmed", scheduled_at=start + timedelta(hours=3))
    response = post_form(admin_client, f"/admin/bookings/{booking.id}/reschedule",
                         {"start": other.scheduled_at.isoformat(), "duration": "30"})
    assert response.status_code == 409
    assert reloaded(Booking, booking.id).scheduled_at == start + timedelta(hours=3)
