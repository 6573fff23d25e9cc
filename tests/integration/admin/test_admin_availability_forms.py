"""Weekly rules, blocked dates and service types: valid input is stored, invalid re-renders (422)."""
from datetime import date, time

import pytest

from tests.factories import create_block, create_rule
from tests.integration.admin.conftest import post_form, reloaded
from webapp.extensions import db
from webapp.models import AvailabilitySlot, BlockedDate, ServiceType


def count(model) -> int:
    """Return the rows of `model` as the database has them now."""
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


RULE = {"service_type": "consultation", "day_of_week": "5", "start_time": "10:00",
        "end_time": "12:00", "slot_duration": "30", "is_active": "on"}


def test_a_valid_rule_is_added(admin_client):
    before = count(AvailabilitySlot)
    response = post_form(admin_client, "/admin/availability/rules", RULE)
    assert response.status_code == 303
    assert count(AvailabilitySlot) == before + 1


@pytest.mark.parametrize("changes, field, message", [
    ({"end_time": "09:00"}, "end_time", "The end must be after the start."),
    ({"end_time": "10:00"}, "end_time", "The end must be after the start."),
    ({"slot_duration": "10"}, "slot_duration", "Must be between 15 and 180."),
    ({"slot_duration": "181"}, "slot_duration", "Must be between 15 and 180."),
    ({"day_of_week": "0", "start_time": "16:30", "end_time": "18:00"}, "start_time",
     "This overlaps another rule of the same type on that day."),
    ({"service_type": "nope"}, "service_type", "Choose a service type."),
    ({"start_time": "25:00"}, "start_time", "Use a time such as 09:30."),
])
def test_an_invalid_rule_is_shown_again_with_its_message_and_nothing_changes(admin_client, changes, field, message):
    before = count(AvailabilitySlot)
    response = post_form(admin_client, "/admin/availability/rules", {**RULE, **changes})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and f'id="{field}-error"' in html
    assert count(AvailabilitySlot) == before


def test_a_rule_does_not_overlap_itself_when_edited(admin_client):
    rule = db.session.scalar(db.select(AvailabilitySlot).where(AvailabilitySlot.day_of_week == 0))
    response = post_form(admin_client, f"/admin/availability/rules/{rule.id}",
                         {**RULE, "day_of_week": "0", "start_time": "08:00", "end_time": "17:00"})
    assert response.status_code == 303
    db.session.rollback()
    assert db.session.get(AvailabilitySlot, rule.id).start_time == time(8)


def test_an_overlapping_edit_is_refused(admin_client):
    morning = create_rule(day_of_week=5, start_time=time(10), end_time=time(12))
    create_rule(day_of_week=5, start_time=time(14), end_time=time(16))
    response = post_form(admin_client, f"/admin/availability/rules/{morning.id}", {**RULE, "end_time": "15:00"})
    assert response.status_code == 422
    assert reloaded(AvailabilitySlot, morning.id).end_time == time(12)


def test_a_rule_can_be_deleted(admin_client):
    rule = db.session.scalar(db.select(AvailabilitySlot).limit(1))
    before = count(AvailabilitySlot)
    assert post_form(admin_client, f"/admin/availability/rules/{rule.id}/delete", {}).status_code == 303
    assert count(AvailabilitySlot) == before - 1


BLOCK = {"date_from": "2030-08-05", "reason": "Holiday", "all_day": "on"}


def test_a_range_of_days_is_blocked_one_row_per_day(admin_client):
    response = post_form(admin_client, "/admin/blocked-dates", {**BLOCK, "date_to": "2030-08-16"})
    assert response.status_code == 303
    db.session.rollback()
    days = db.session.scalars(db.select(BlockedDate.blocked_date).order_by(BlockedDate.blocked_date)).all()
    assert days[0] == date(2030, 8, 5) and days[-1] == date(2030, 8, 16) and len(days) == 12


def test_part_of_a_day_is_blocked_between_two_times(admin_client):
    response = post_form(admin_client, "/admin/blocked-dates",
                         {"date_from": "2030-08-05", "reason": "Dentist", "start_time": "13:00", "end_time": "15:30"})
    assert response.status_code == 303
    db.session.rollback()
    block = db.session.scalar(db.select(BlockedDate))
    assert (block.all_day, block.start_time, block.end_time) == (False, time(13), time(15, 30))


@pytest.mark.parametrize("data, field, message", [
    ({**BLOCK, "date_to": "2030-08-01"}, "date_to", "The last day must not be before the first."),
    ({**BLOCK, "date_to": "2031-12-01"}, "date_to", "Block at most 366 days at once."),
    ({**BLOCK, "reason": ""}, "reason", "This field is required."),
    ({**BLOCK, "date_from": "05/08/2030"}, "date_from", "Use a date such as 2030-01-31."),
    ({"date_from": "2030-08-05", "reason": "x", "start_time": "15:00", "end_time": "13:00"}, "end_time",
     "The end must be after the start."),
    ({"date_from": "2030-08-05", "reason": "x"}, "start_time", "This field is required."),
])
def test_an_invalid_block_is_shown_again_with_its_message_and_nothing_changes(admin_client, data, field, message):
    response = post_form(admin_client, "/admin/blocked-dates", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and f'id="{field}-error"' in html
    assert count(BlockedDate) == 0


def test_a_blocked_date_can_be_removed(admin_client):
    block = create_block(blocked_date=date(2030, 8, 5))
    assert post_form(admin_client, f"/admin/blocked-dates/{block.id}/delete", {}).status_code == 303
    assert count(BlockedDate) == 0


def test_removing_an_unknown_blocked_date_is_404(admin_client):
    assert post_form(admin_client, "/admin/blocked-dates/999/delete", {}).status_code == 404


SERVICE = {"key": "audit", "name": "Audit", "default_duration": "45", "allowed_durations": "45, 90",
           "buffer_before": "0", "buffer_after": "15", "min_notice_minutes": "60", "max_days_ahead": "30"}


def test_a_service_type_is_created_edited_and_deactivated(admin_client):
    assert post_form(admin_client, "/admin/service-types", SERVICE).status_code == 303
    response = post_form(admin_client, "/admin/service-types/audit",
                         {**SERVICE, "name": "Security audit", "requires_approval": "on"})
    assert response.status_code == 303
    assert post_form(admin_client, "/admin/service-types/audit/active", {"active": "0"}).status_code == 303
    db.session.rollback()
    service = db.session.scalar(db.select(ServiceType).where(ServiceType.key == "audit"))
    assert (service.name, service.durations, service.buffer_after) == ("Security audit", [45, 90], 15)
    assert service.requires_approval and not service.is_active
    assert admin_client.get("/book/audit").status_code == 404


@pytest.mark.parametrize("changes, field", [
    ({"key": "consultation"}, "key"), ({"key": "Bad Key"}, "key"), ({"name": ""}, "name"),
    ({"default_duration": "5"}, "default_duration"), ({"allowed_durations": "30, x"}, "allowed_durations"),
    ({"allowed_durations": "30, 200"}, "allowed_durations"), ({"max_days_ahead": "0"}, "max_days_ahead"),
    ({"buffer_after": "-5"}, "buffer_after"),
])
def test_an_invalid_service_type_is_refused(admin_client, changes, field):
    before = count(ServiceType)
    response = post_form(admin_client, "/admin/service-types", {**SERVICE, **changes})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert count(ServiceType) == before
