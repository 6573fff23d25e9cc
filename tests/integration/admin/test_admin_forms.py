"""Every admin form refuses bad input the same way (422, message beside the field, what was typed
kept, nothing stored) and hands typed values to its service; the bookings list never answers 500."""
import html as html_lib
import re
from datetime import date, datetime, time, timedelta, timezone

import pytest

from tests.conftest import csrf_from
from tests.factories import store_booking
from tests.integration.admin.conftest import log_in, post_form, reloaded
from webapp.extensions import db
from webapp.models import AvailabilitySlot, BlockedDate, Booking, BookingFollowUp, ServiceType
from webapp.services.settings import get_settings


def count(model) -> int:
    """Return the rows of `model` as the database has them now."""
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def shown_value(page: str, field: str) -> str:
    """Return what the page shows in a field: an input's value, a textarea's text, a select's choice."""
    tag = re.search(rf'<(input|textarea|select)\b[^>]*\bid="{field}"[^>]*>', page)
    assert tag, f"no field {field!r} on the page"
    if tag.group(1) == "input":
        value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
        return html_lib.unescape(value.group(1)) if value else ""
    rest = page[tag.end():]
    if tag.group(1) == "textarea":
        return html_lib.unescape(rest[:rest.index("</textarea>")]).strip()
    selected = re.search(r'<option[^>]*\bselected\b[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*\bselected',
                         rest[:rest.index("</select>")])
    return html_lib.unescape(next(group for group in selected.groups() if group is not None))


def message_beside(page: str, field: str) -> str:
    """Return the error shown beside a field (its aria-describedby paragraph)."""
    found = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    assert found, f"no message beside {field!r}"
    return html_lib.unescape(found.group(1))


def assert_refused(response, field: str, message: str, typed: str | None = None) -> str:
    """Check the re-rendered page: 422, the summary, the message beside `field`, `typed` kept there."""
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'role="alert"' in page
    assert message in message_beside(page, field)
    if typed is not None:
        assert shown_value(page, field) == typed
    return page


RULE = {"service_type": "consultation", "day_of_week": "5", "start_time": "10:00",
        "end_time": "12:00", "slot_duration": "30", "is_active": "on"}


@pytest.mark.parametrize("changes, field, message, typed", [
    ({"end_time": "09:00"}, "end_time", "The end must be after the start.", "09:00"),
    ({"slot_duration": "ten"}, "slot_duration", "Must be a whole number.", "ten"),
    ({"start_time": "noon"}, "start_time", "Use a time such as 09:30.", "noon"),
    ({"start_time": ""}, "start_time", "This field is required.", ""),
    ({"day_of_week": "9"}, "day_of_week", "Choose a day of the week.", None),
])
def test_a_refused_rule_keeps_what_was_typed_and_stores_nothing(admin_client, changes, field, message, typed):
    before = count(AvailabilitySlot)
    response = post_form(admin_client, "/admin/availability/rules", {**RULE, **changes})
    page = assert_refused(response, field, message, typed)
    assert shown_value(page, "slot_duration") == changes.get("slot_duration", "30")  # the other fields too
    assert count(AvailabilitySlot) == before


def test_a_refused_rule_edit_keeps_what_was_typed_and_changes_nothing(admin_client):
    rule = db.session.scalar(db.select(AvailabilitySlot).where(AvailabilitySlot.day_of_week == 0))
    stored = (rule.start_time, rule.end_time)
    response = post_form(admin_client, f"/admin/availability/rules/{rule.id}",
                         {**RULE, "start_time": "18:00", "end_time": "17:00"})
    page = assert_refused(response, "end_time", "The end must be after the start.", "17:00")
    assert shown_value(page, "start_time") == "18:00"
    updated = reloaded(AvailabilitySlot, rule.id)
    assert (updated.start_time, updated.end_time) == stored


def test_rule_values_reach_the_database_typed(admin_client):
    response = post_form(admin_client, "/admin/availability/rules",
                         {**RULE, "start_time": "08:15:00", "end_time": " 09:45 ", "slot_duration": " 45 ",
                          "is_active": ""})
    assert response.status_code == 303
    db.session.rollback()
    rule = db.session.scalar(db.select(AvailabilitySlot).where(AvailabilitySlot.day_of_week == 5))
    assert (rule.start_time, rule.end_time, rule.slot_duration) == (time(8, 15), time(9, 45), 45)
    assert rule.is_active is False  # an unticked box deactivates the rule


def test_the_rule_edit_page_shows_the_stored_rule(admin_client):
    rule = db.session.scalar(db.select(AvailabilitySlot).where(AvailabilitySlot.day_of_week == 0))
    page = admin_client.get(f"/admin/availability/rules/{rule.id}").get_data(as_text=True)
    assert shown_value(page, "start_time") == rule.start_time.strftime("%H:%M")
    assert shown_value(page, "day_of_week") == "0"


BLOCK = {"date_from": "2030-08-05", "reason": "Holiday", "all_day": "on"}


@pytest.mark.parametrize("data, field, message, typed", [
    ({**BLOCK, "date_to": "2030-08-01"}, "date_to", "The last day must not be before the first.", "2030-08-01"),
    ({**BLOCK, "date_from": "2030-02-30"}, "date_from", "Use a date such as 2030-01-31.", "2030-02-30"),
    ({**BLOCK, "reason": "   "}, "reason", "This field is required.", None),
    ({**BLOCK, "reason": "x" * 201}, "reason", "At most 200 characters.", "x" * 201),
    ({**BLOCK, "reason": "bell\x07"}, "reason", "Contains characters that are not allowed.", None),
    ({"date_from": "2030-08-05", "reason": "Dentist", "start_time": "13:00"}, "end_time",
     "This field is required.", ""),
])
def test_a_refused_block_keeps_what_was_typed_and_stores_nothing(admin_client, data, field, message, typed):
    response = post_form(admin_client, "/admin/blocked-dates", data)
    assert_refused(response, field, message, typed)
    assert count(BlockedDate) == 0


def test_block_values_reach_the_database_typed_and_trimmed(admin_client):
    response = post_form(admin_client, "/admin/blocked-dates",
                         {"date_from": "2030-08-05", "date_to": "2030-08-06", "reason": "  Training  ",
                          "description": "", "all_day": "on", "start_time": "10:00", "end_time": "11:00"})
    assert response.status_code == 303
    db.session.rollback()
    rows = db.session.scalars(db.select(BlockedDate).order_by(BlockedDate.blocked_date)).all()
    assert [row.blocked_date for row in rows] == [date(2030, 8, 5), date(2030, 8, 6)]
    # all day wins over the times; the text is trimmed and an empty description is no description
    assert {(row.reason, row.description, row.start_time, row.all_day) for row in rows} == {
        ("Training", None, None, True)}


SERVICE = {"key": "audit", "name": "Audit", "default_duration": "45", "allowed_durations": "45, 90",
           "buffer_before": "0", "buffer_after": "15", "min_notice_minutes": "60", "max_days_ahead": "30"}


@pytest.mark.parametrize("changes, field, message, typed", [
    ({"key": "consultation"}, "key", "A service type with this key exists already.", "consultation"),
    ({"key": "Bad Key"}, "key", "Use lowercase letters, digits, - and _ only.", "Bad Key"),
    ({"default_duration": "5"}, "default_duration", "Must be between 15 and 180.", "5"),
    ({"allowed_durations": "30, x"}, "allowed_durations", "Use whole numbers separated by commas.", "30, x"),
    ({"allowed_durations": "30, 200"}, "allowed_durations", "Each value must be between 15 and 180.",
     "30, 200"),
    ({"max_days_ahead": ""}, "max_days_ahead", "This field is required.", ""),
])
def test_a_refused_service_type_keeps_what_was_typed_and_stores_nothing(admin_client, changes, field, message,
                                                                        typed):
    before = count(ServiceType)
    response = post_form(admin_client, "/admin/service-types", {**SERVICE, **changes})
    page = assert_refused(response, field, message, typed)
    assert shown_value(page, "name") == "Audit"
    assert count(ServiceType) == before


def test_a_refused_service_type_edit_changes_nothing(admin_client):
    response = post_form(admin_client, "/admin/service-types/consultation",
                         {**SERVICE, "name": "Renamed", "buffer_after": "721"})
    page = assert_refused(response, "buffer_after", "Must be between 0 and 720.", "721")
    assert shown_value(page, "name") == "Renamed"
    db.session.rollback()
    assert db.session.scalar(db.select(ServiceType.name).where(ServiceType.key == "consultation")) != "Renamed"


def test_service_type_values_reach_the_database_typed(admin_client):
    response = post_form(admin_client, "/admin/service-types",
                         {**SERVICE, "allowed_durations": "90, 30,30", "buffer_before": "", "description": "  "})
    assert response.status_code == 303
    db.session.rollback()
    service = db.session.scalar(db.select(ServiceType).where(ServiceType.key == "audit"))
    # the default joins the durations; a blank buffer is no buffer; blank text is no text
    assert (service.allowed_durations, service.buffer_before, service.description) == ([30, 45, 90], 0, None)
    assert service.requires_approval is False


def test_the_service_type_edit_page_lists_the_durations_with_the_default(admin_client):
    page = admin_client.get("/admin/service-types/consultation").get_data(as_text=True)
    service = db.session.scalar(db.select(ServiceType).where(ServiceType.key == "consultation"))
    assert shown_value(page, "allowed_durations") == ", ".join(str(d) for d in service.durations)


SETTINGS = {"business_name": "Studio", "business_timezone": "America/New_York",
            "admin_email": "boss@studio.example", "reminder_offsets_hours": "24, 1",
            "embed_allowed_origins": "https://partner.example", "default_meeting_provider": "jitsi",
            "self_service_cutoff_hours": "12", "follow_up_delay_hours": "2", "zoom_auto_recording": "cloud"}


@pytest.mark.parametrize("changes, field, message, typed", [
    ({"business_timezone": "Mars/Olympus"}, "business_timezone", "Choose an IANA time zone", "Mars/Olympus"),
    ({"embed_allowed_origins": "https://ok.example\nftp://x.example"}, "embed_allowed_origins",
     "'ftp://x.example' is not an origin", "https://ok.example\nftp://x.example"),
    ({"self_service_cutoff_hours": "-1"}, "self_service_cutoff_hours", "Must be between 0 and 720.", "-1"),
    ({"default_meeting_provider": "skype"}, "default_meeting_provider", "Choose one of the listed providers.",
     None),
    ({"reminder_offsets_hours": "1, 999"}, "reminder_offsets_hours", "Each value must be between 1 and 336.",
     "1, 999"),
])
def test_refused_settings_keep_what_was_typed_and_store_nothing(admin_client, changes, field, message, typed):
    before = get_settings()
    response = post_form(admin_client, "/admin/settings", {**SETTINGS, **changes})
    page = assert_refused(response, field, message, typed)
    assert shown_value(page, "business_name") == "Studio"
    db.session.rollback()
    assert get_settings() == before


def test_settings_values_reach_the_store_typed(admin_client):
    response = post_form(admin_client, "/admin/settings",
                         {**SETTINGS, "admin_email": "", "reminder_offsets_hours": "48,24, 48",
                          "embed_allowed_origins": "HTTPS://Partner.Example/, https://b.example:8443"})
    assert response.status_code == 303
    db.session.rollback()
    settings = get_settings()
    assert settings.admin_email == ""
    assert settings.reminder_offsets_hours == [24, 48]
    assert settings.embed_allowed_origins == ["https://b.example:8443", "https://partner.example"]
    assert (settings.self_service_cutoff_hours, settings.follow_up_delay_hours) == (12, 2)


def test_the_settings_page_shows_the_stored_settings(admin_client):
    settings = get_settings()
    page = admin_client.get("/admin/settings").get_data(as_text=True)
    assert shown_value(page, "business_timezone") == settings.business_timezone
    assert shown_value(page, "reminder_offsets_hours") == ", ".join(map(str, settings.reminder_offsets_hours))
    assert shown_value(page, "default_meeting_provider") == settings.default_meeting_provider


def test_a_login_with_a_blank_password_is_shown_again_with_the_email_kept(client, admin_user):
    token = csrf_from(client.get("/admin/login?next=/admin/bookings").get_data(as_text=True))
    response = client.post("/admin/login", data={"csrf_token": token, "email": "admin@studio.example",
                                                 "password": "", "next": "/admin/bookings"})
    page = assert_refused(response, "password", "This field is required.", "")
    assert shown_value(page, "email") == "admin@studio.example"
    assert shown_value(page, "next") == "/admin/bookings"
    assert client.get("/admin/").status_code == 302  # still logged out


def test_a_wrong_password_keeps_the_email_but_never_the_password(client, admin_user):
    response = log_in(client, password="not the password")
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert shown_value(page, "email") == "admin@studio.example"
    assert "not the password" not in page


def soon() -> datetime:
    """Return an instant three days ahead at 09:00 UTC."""
    return (datetime.now(timezone.utc) + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.mark.parametrize("action, data, field, message", [
    ("cancel", {"cancellation_reason": "x" * 2001}, "cancellation_reason", "At most 2000 characters."),
    ("notes", {"internal_notes": "x" * 10001}, "internal_notes", "At most 10000 characters."),
    ("follow-up", {"subject": "", "message": "Kept text"}, "subject", "This field is required."),
    ("follow-up", {"subject": "Slides", "message": "  "}, "message", "This field is required."),
])
@pytest.mark.parametrize("htmx", [False, True])
def test_a_refused_booking_action_keeps_what_was_typed_and_changes_nothing(admin_client, action, data, field,
                                                                           message, htmx):
    booking = store_booking(status="confirmed", scheduled_at=soon(), internal_notes="Pays late")
    response = post_form(admin_client, f"/admin/bookings/{booking.id}/{action}", data,
                         headers={"HX-Request": "true"} if htmx else {})
    page = assert_refused(response, field, message, data[field].strip() or None)
    assert ("<html" in page) is not htmx
    if field != "internal_notes":
        assert shown_value(page, "internal_notes") == "Pays late"  # the other forms stay as stored
    stored = reloaded(Booking, booking.id)
    assert (stored.status, stored.internal_notes) == ("confirmed", "Pays late")
    assert db.session.scalar(db.select(BookingFollowUp)) is None


def test_a_follow_up_is_stored_trimmed(admin_client):
    booking = store_booking(status="completed")
    response = post_form(admin_client, f"/admin/bookings/{booking.id}/follow-up",
                         {"subject": "  Slides ", "message": "\nHere they are.\n"})
    assert response.status_code == 303
    db.session.rollback()
    assert db.session.scalar(db.select(BookingFollowUp.subject)) == "Slides"
    assert db.session.scalar(db.select(BookingFollowUp.message)) == "Here they are."


@pytest.mark.parametrize("query, field, message", [
    ("?status=lost", "status", "Unknown status."),
    ("?date_from=2030-02-30", "date_from", "Use a date such as 2030-01-31."),
    ("?date_to=tomorrow&q=Anna", "date_to", "Use a date such as 2030-01-31."),
    ("?q=" + "a" * 201, "q", "At most 200 characters."),
])
def test_a_bad_filter_is_explained_beside_its_field_never_500(admin_client, query, field, message):
    response = admin_client.get("/admin/bookings" + query)
    page = assert_refused(response, field, message)
    assert "The filter is not valid." in page
    if "q=Anna" in query:
        assert shown_value(page, "q") == "Anna"
    assert admin_client.get("/admin/bookings.csv" + query).status_code == 400


def test_the_filter_form_shows_the_filter_in_use(admin_client):
    page = admin_client.get("/admin/bookings?status=pending&date_from=2030-01-08&q=acme").get_data(as_text=True)
    assert (shown_value(page, "status"), shown_value(page, "date_from"), shown_value(page, "q")) == (
        "pending", "2030-01-08", "acme")


@pytest.fixture
def thirty_bookings(admin_client):
    """Thirty bookings, one a day from 1 January 2030: two pages of 25."""
    for day in range(30):
        store_booking(client_name=f"Client {day:02d}",
                       scheduled_at=datetime(2030, 1, 1, 9, tzinfo=timezone.utc) + timedelta(days=day))


@pytest.mark.parametrize("page, shown", [
    ("1", 1), ("2", 2), ("0", 1), ("-3", 1), ("abc", 1), ("2.5", 1), ("", 1), ("3", 2), ("999", 2),
    ("99999999999999999999999", 2),
])
def test_any_page_number_shows_a_page(admin_client, thirty_bookings, page, shown):
    response = admin_client.get(f"/admin/bookings?page={page}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Page {shown} of 2" in html
    assert ("Client 00" in html) is (shown == 2) and ("Client 29" in html) is (shown == 1)


def test_page_links_keep_the_filter(admin_client, thirty_bookings):
    html = admin_client.get("/admin/bookings?q=Client&date_from=2030-01-01").get_data(as_text=True)
    link = re.search(r'<a rel="next" href="([^"]+)"', html).group(1)
    assert "page=2" in link and "q=Client" in link and "date_from=2030-01-01" in link
    assert "Client 00" in admin_client.get(html_lib.unescape(link)).get_data(as_text=True)


def test_an_empty_list_says_so_on_any_page(admin_client):
    html = admin_client.get("/admin/bookings?page=7&status=no_show").get_data(as_text=True)
    assert "No bookings match." in html and "Page " not in html
