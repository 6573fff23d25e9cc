"""Dashboard, calendar, settings and outbox pages."""
from datetime import date, datetime, time, timedelta, timezone

import pytest

from tests.factories import create_block, store_booking
from tests.integration.admin.conftest import post_form, reloaded
from webapp.admin.calendar_grid import build_week
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.scheduling import get_zone
from webapp.services.settings import get_settings

ROME = get_zone("Europe/Rome")


def test_dashboard_shows_today_the_week_counts_and_attention(admin_client):
    now = datetime.now(timezone.utc)
    store_booking(client_name="Later This Week", status="pending", scheduled_at=now + timedelta(days=2))
    store_booking(client_name="Next Month", status="confirmed", scheduled_at=now + timedelta(days=40))
    db.session.add(OutboxMessage(kind="confirmation", key="k1", status="failed", last_error="SMTP down"))
    db.session.commit()
    html = admin_client.get("/admin/").get_data(as_text=True)
    week = html[html.index("Next 7 days"):]
    assert "Later This Week" in week and "Next Month" not in week
    assert "1 booking waiting for approval" in html
    assert "1 email failed" in html


def test_week_grid_places_bookings_and_blocks_in_the_business_zone():
    monday = date(2030, 1, 7)
    booking = type("B", (), dict(id=1, client_name="Anna", title="Demo", status="confirmed",
                                 scheduled_at=datetime(2030, 1, 8, 9, tzinfo=timezone.utc),  # 10:00 in Rome
                                 ends_at=datetime(2030, 1, 8, 10, 30, tzinfo=timezone.utc)))
    partial = type("K", (), dict(blocked_date=date(2030, 1, 9), all_day=False, reason="Dentist",
                                 start_time=time(13), end_time=time(15)))
    whole = type("K", (), dict(blocked_date=date(2030, 1, 10), all_day=True, reason="Holiday",
                               start_time=None, end_time=None))
    grid = build_week(monday, [booking], [partial, whole], ROME)
    assert grid.hours[0] == 7
    placed = {item.label: item for item in grid.items}
    assert (placed["Anna"].column, placed["Anna"].row, placed["Anna"].span) == (2, 13, 6)  # 10:00 is 3h after 07:00
    assert (placed["Dentist"].column, placed["Dentist"].row, placed["Dentist"].span) == (3, 25, 8)
    assert grid.all_day_blocks == {date(2030, 1, 10): ["Holiday"]}


def test_week_grid_stretches_to_early_bookings():
    booking = type("B", (), dict(id=1, client_name="Early", title="x", status="pending",
                                 scheduled_at=datetime(2030, 1, 7, 5, tzinfo=timezone.utc),  # 06:00 in Rome
                                 ends_at=datetime(2030, 1, 7, 5, 30, tzinfo=timezone.utc)))
    grid = build_week(date(2030, 1, 7), [booking], [], ROME)
    assert grid.hours[0] == 6 and grid.items[0].row == 1


def test_calendar_pages_link_to_bookings_and_show_blocks(admin_client):
    booking = store_booking(client_name="Anna", status="confirmed",
                             scheduled_at=datetime(2030, 1, 8, 9, tzinfo=timezone.utc))
    store_booking(client_name="Gone", status="cancelled", scheduled_at=datetime(2030, 1, 8, 12, tzinfo=timezone.utc))
    create_block(blocked_date=date(2030, 1, 10), reason="Holiday")
    week = admin_client.get("/admin/calendar?week=2030-01-09").get_data(as_text=True)
    assert f'href="/admin/bookings/{booking.id}"' in week and "Blocked: Holiday" in week and "Gone" not in week
    assert "Week of 7 January 2030" in week
    month = admin_client.get("/admin/calendar/month?month=2030-01").get_data(as_text=True)
    assert "10:00 Anna" in month and "Blocked: Holiday" in month


def test_a_bad_calendar_date_is_400(admin_client):
    assert admin_client.get("/admin/calendar?week=soon").status_code == 400
    assert admin_client.get("/admin/calendar/month?month=2030-13").status_code == 400


SETTINGS = {"business_name": "Studio", "business_timezone": "America/New_York",
            "admin_email": "boss@studio.example", "reminder_offsets_hours": "24, 1",
            "embed_allowed_origins": "https://partner.example\nhttp://localhost:8080",
            "default_meeting_provider": "jitsi", "self_service_cutoff_hours": "12", "follow_up_delay_hours": "2",
            "zoom_auto_recording": "cloud"}


def test_settings_are_saved(admin_client):
    assert post_form(admin_client, "/admin/settings", SETTINGS).status_code == 303
    db.session.rollback()
    settings = get_settings()
    assert settings.business_timezone == "America/New_York"
    assert settings.reminder_offsets_hours == [1, 24]
    assert settings.embed_allowed_origins == ["http://localhost:8080", "https://partner.example"]
    assert (settings.self_service_cutoff_hours, settings.follow_up_delay_hours) == (12, 2)
    assert settings.zoom_auto_recording == "cloud"


@pytest.mark.parametrize("changes, field", [
    ({"business_timezone": "Mars/Olympus"}, "business_timezone"),
    ({"embed_allowed_origins": "https://partner.example/path"}, "embed_allowed_origins"),
    ({"embed_allowed_origins": "javascript:alert(1)"}, "embed_allowed_origins"),
    ({"embed_allowed_origins": "https://*.example"}, "embed_allowed_origins"),
    ({"admin_email": "nope"}, "admin_email"),
    ({"reminder_offsets_hours": "soon"}, "reminder_offsets_hours"),
    ({"default_meeting_provider": "skype"}, "default_meeting_provider"),
    ({"business_name": ""}, "business_name"),
    ({"zoom_auto_recording": "always"}, "zoom_auto_recording"),
])
def test_invalid_settings_are_refused_and_nothing_is_saved(admin_client, changes, field):
    before = get_settings()
    response = post_form(admin_client, "/admin/settings", {**SETTINGS, **changes})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    db.session.rollback()
    assert get_settings() == before


def test_failed_messages_are_listed_with_their_error_and_can_be_retried(admin_client):
    row = OutboxMessage(kind="cancellation", key="k2", status="failed", attempts=5,
                        recipient="client@example.com", last_error="550 mailbox unavailable")
    db.session.add(row)
    db.session.commit()
    html = admin_client.get("/admin/outbox").get_data(as_text=True)
    assert "550 mailbox unavailable" in html and "client@example.com" in html
    assert post_form(admin_client, f"/admin/outbox/{row.id}/retry", {}).status_code == 303
    retried = reloaded(OutboxMessage, row.id)
    # under TESTING the embedded runner is not started, so the row waits, due now, with fresh attempts
    assert (retried.status, retried.attempts) == ("pending", 0)
    assert retried.due_at <= datetime.now(timezone.utc)


def test_only_failed_messages_can_be_retried(admin_client):
    row = OutboxMessage(kind="cancellation", key="k3", status="sent")
    db.session.add(row)
    db.session.commit()
    assert post_form(admin_client, f"/admin/outbox/{row.id}/retry", {}).status_code == 409
    assert reloaded(OutboxMessage, row.id).status == "sent"


def test_the_outbox_pages_fifty_at_a_time_and_past_the_end_shows_the_last_page(admin_client):
    db.session.add_all(OutboxMessage(kind="confirmation", key=f"p{i}", status="failed",
                                     recipient=f"client{i}@example.com") for i in range(51))
    db.session.commit()
    first = admin_client.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Failed (51)" in first and first.count("<tr>") == 51
    for asked in (2, 99):
        last = admin_client.get(f"/admin/outbox?status=failed&page={asked}").get_data(as_text=True)
        assert "Page 2 of 2" in last and last.count("<tr>") == 2  # the header row and one message
        assert 'href="/admin/outbox?page=1&amp;status=failed"' in last


def test_the_dashboard_shows_a_backlog_as_soon_as_deliveries_fail(admin_client):
    assert "waiting to go out" not in admin_client.get("/admin/").get_data(as_text=True)
    due = datetime.now(timezone.utc) - timedelta(minutes=3)
    db.session.add_all(OutboxMessage(kind="confirmation", key=f"w{i}", status="pending",
                                     due_at=due + timedelta(seconds=i), attempts=1,
                                     last_error="SMTP 127.0.0.1:25 unavailable: refused")
                       for i in range(3))
    db.session.commit()

    page = admin_client.get("/admin/").get_data(as_text=True)

    assert "3 emails waiting to go out" in page and "the oldest has waited 3 minutes" in page
    assert "SMTP 127.0.0.1:25 unavailable: refused" in page
    assert "Nothing waiting." not in page


def test_the_outbox_lists_waiting_and_retrying_rows_and_a_possible_duplicate(admin_client):
    later = datetime.now(timezone.utc) + timedelta(minutes=5)
    db.session.add_all([
        OutboxMessage(kind="confirmation", key="retrying", status="pending", due_at=later,
                      attempts=2, last_error="SMTP 421: busy", recipient="retry@example.com"),
        OutboxMessage(kind="reminder", key="future", status="pending", due_at=later,
                      recipient="future@example.com"),
        OutboxMessage(kind="update", key="twice", status="sent", attempts=2, lapsed_claims=1,
                      recipient="twice@example.com")])
    db.session.commit()

    waiting = admin_client.get("/admin/outbox?status=waiting").get_data(as_text=True)
    assert "retry@example.com" in waiting and "SMTP 421: busy" in waiting
    assert "future@example.com" not in waiting  # a reminder not due yet is not a backlog
    sent = admin_client.get("/admin/outbox?status=sent").get_data(as_text=True)
    assert "sent after 2 attempts" in sent and "possible duplicate" in sent
