"""The audit log: who did what to which booking or setting, recorded from the session's flushes,
shown in the admin, and holding no personal data."""
from urllib.parse import parse_qs, unquote, urlsplit

from tests.conftest import csrf_from
from tests.factories import book
from tests.integration.admin.conftest import post_form
from tests.integration.manage.test_manage_pages import reschedule_link
from tests.integration.privacy.conftest import MONDAY, NOW, TUESDAY, rome
from tests.integration.privacy.test_consent import API_BOOKING
from webapp.extensions import db
from webapp.models import AuditEntry
from webapp.services.api_tokens import create_api_token


def entries() -> list[tuple]:
    """Return (actor, action, target, booking id, detail) of every entry, oldest first."""
    db.session.rollback()
    return [(e.actor, e.action, f"{e.target_type}:{e.target_id}", e.booking_id, e.detail)
            for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


def test_an_admin_cancel_is_logged_with_the_admin(admin_client, admin_user):
    booking = book(rome(MONDAY, 10), NOW).booking
    response = post_form(admin_client, f"/admin/bookings/{booking.id}/cancel", {"cancellation_reason": "ill"})
    assert response.status_code == 303
    assert (f"admin:{admin_user.id}", "status changed", f"booking:{booking.id}", booking.id,
            "pending → cancelled") in entries()


def test_a_client_reschedule_through_the_manage_link_is_logged_as_the_client(client):
    created = book(rome(MONDAY, 10), NOW)
    confirm_url = reschedule_link(client, created.manage_token, TUESDAY, "15:30")
    confirm = client.get(confirm_url)
    query = parse_qs(urlsplit(confirm_url).query)
    response = client.post(f"/manage/{created.manage_token}/reschedule", data={
        "csrf_token": csrf_from(confirm.text), "start": unquote(query["start"][0]),
        "tz": query["tz"][0], "duration": query["duration"][0]})
    assert response.status_code == 303
    moved = [e for e in db.session.scalars(db.select(AuditEntry).where(AuditEntry.actor == "client"))]
    assert [(e.action, e.booking_id) for e in moved] == [("updated", created.booking.id)]
    assert {"scheduled_at", "ends_at", "version"} <= set(moved[0].fields)


def test_api_creations_name_the_token_or_say_anonymous(client):
    token = create_api_token("partner")
    anonymous = client.post("/api/v1/booking/bookings", json=API_BOOKING)
    with_token = client.post("/api/v1/booking/bookings", headers={"Authorization": f"Bearer {token}"},
                             json={**API_BOOKING, "scheduled_at": "2026-11-30T11:00:00"})
    assert (anonymous.status_code, with_token.status_code) == (201, 201)
    created = [(actor, action) for actor, action, target, *_ in entries() if target.startswith("booking")
               and action == "created"]
    token_id = db.session.scalar(db.select(AuditEntry.actor).where(AuditEntry.actor.like("api-token:%")))
    assert created == [("api-anonymous", "created"), (token_id, "created")]


def test_a_token_names_only_the_request_it_came_with(client):
    token = create_api_token("partner")
    with_token = client.post("/api/v1/booking/bookings", headers={"Authorization": f"Bearer {token}"},
                             json=API_BOOKING)
    anonymous = client.post("/api/v1/booking/bookings", json={**API_BOOKING, "scheduled_at": "2026-11-30T11:00:00"})
    assert (with_token.status_code, anonymous.status_code) == (201, 201)
    created = [actor for actor, action, target, *_ in entries() if target.startswith("booking") and action == "created"]
    assert created[0].startswith("api-token:") and created[1:] == ["api-anonymous"]


def test_a_settings_change_is_logged_by_name_only_and_shown_in_the_admin(admin_client, admin_user):
    form = {"business_name": "Studio Rossi", "business_timezone": "Europe/Rome",
            "admin_email": "secret-owner@studio.example", "reminder_offsets_hours": "24",
            "embed_allowed_origins": "", "default_meeting_provider": "jitsi",
            "self_service_cutoff_hours": "24", "follow_up_delay_hours": "0", "zoom_auto_recording": "none",
            "privacy_notice_url": "https://studio.example/privacy", "retention_days": "200"}
    assert post_form(admin_client, "/admin/settings", form).status_code == 303
    logged = {target for actor, action, target, *_ in entries() if actor == f"admin:{admin_user.id}"}
    assert {"setting:business_name", "setting:admin_email", "setting:retention_days"} <= logged
    page = admin_client.get("/admin/audit")
    table = page.text.partition("<table")[2].partition("</table>")[0]
    assert page.status_code == 200 and "setting admin_email" in table
    assert "secret-owner" not in table and "Studio Rossi" not in table


def test_the_page_filters_by_booking_and_holds_no_personal_data(admin_client):
    first = book(rome(MONDAY, 10), NOW, client_name="Ada Lovelace", client_email="ada@example.com").booking
    second = book(rome(MONDAY, 11), NOW).booking
    page = admin_client.get(f"/admin/audit?booking={first.uid}").text
    assert f"booking #{first.id}" in page and f"booking #{second.id}" not in page
    assert "Ada" not in page and "ada@example.com" not in page
    assert admin_client.get("/admin/audit?booking=nope").status_code == 200
    assert admin_client.get("/admin/audit?booking=" + "x" * 40).status_code == 422
    stored = db.session.scalars(db.select(AuditEntry)).all()
    assert not any("ada" in repr((e.target_id, e.fields, e.detail)).lower() for e in stored)
