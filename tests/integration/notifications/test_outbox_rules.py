"""The outbox rules, performed in this process against a real SMTP server (no Redis needed)."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.factories import create_rule, create_service_type
from tests.integration.notifications.support import (
    ADMIN,
    CLIENT,
    book,
    calendar_part,
    rows,
    text_part,
    weekday_at,
)
from webapp import outbox
from webapp.extensions import db
from webapp.models import Booking, BookingFollowUp, OutboxMessage
from webapp.outbox import outage
from webapp.outbox.perform import claim, perform
from webapp.outbox.sweep import sweep
from webapp.services.bookings import cancel_booking, confirm_booking
from webapp.services.settings import save_settings


@pytest.fixture
def app_config(mailbox):
    """No Redis: rows stay in the outbox until the test performs them."""
    return {"REDIS_URL": None, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mailbox.port,
            "MAIL_USE_TLS": False, "ADMIN_EMAIL": ADMIN, "OUTBOX_MAX_ATTEMPTS": 3,
            "OUTBOX_RETRY_BASE_SECONDS": 60}


def perform_due(now: datetime) -> list[str]:
    """Perform every due row (and what they cause) the way the worker would, at `now`."""
    outcomes = []
    while ids := [r.id for r in rows() if r.status == "pending" and r.due_at <= now]:
        outcomes += [perform(i, now) for i in ids]
    return outcomes


NOW = datetime(2030, 1, 7, 8, 0, tzinfo=timezone.utc)  # a Monday


def test_a_booking_made_three_hours_ahead_gets_only_the_reminders_still_ahead(app):
    save_settings(reminder_offsets_hours=[24, 1])
    booking = book(NOW + timedelta(hours=3), NOW)

    reminders = rows("reminder")
    assert [r.payload["offset_hours"] for r in reminders] == [1]
    assert reminders[0].due_at == booking.scheduled_at - timedelta(hours=1)
    assert reminders[0].payload["last"] is True


def test_reminder_sent_turns_true_only_after_the_last_reminder(app, mailbox):
    save_settings(reminder_offsets_hours=[24, 1])
    booking = book(weekday_at(10, 3, NOW), NOW)
    perform_due(NOW)

    perform_due(booking.scheduled_at - timedelta(hours=24))
    assert db.session.get(Booking, booking.id).reminder_sent is False
    perform_due(booking.scheduled_at - timedelta(hours=1))
    assert db.session.get(Booking, booking.id).reminder_sent is True
    assert len(mailbox.subjects("Reminder:")) == 2


def test_keys_are_unique_per_booking_kind_and_version(app):
    booking = book(weekday_at(10, 3, NOW), NOW)
    outbox.booking_confirmed(booking, NOW)
    outbox.booking_confirmed(booking, NOW)
    db.session.commit()

    keys = [r.key for r in rows()]
    assert len(keys) == len(set(keys))
    assert f"booking:{booking.id}:confirmation:v0" in keys


def test_a_type_needing_approval_stays_pending_until_the_admin_confirms(app, mailbox):
    create_service_type(key="audit", requires_approval=True, min_notice_minutes=0)
    for weekday in range(5):
        create_rule(service_type="audit", day_of_week=weekday)
    booking = book(weekday_at(10, 7, NOW), NOW, service="audit")
    perform_due(NOW)

    assert db.session.get(Booking, booking.id).status == "pending"
    assert mailbox.subjects("Confirmed:") == []
    assert len(mailbox.subjects("Received, awaiting approval")) == 1
    confirm_booking(booking.id, NOW)
    perform_due(NOW)
    assert len(mailbox.subjects("Confirmed:")) == 1


@pytest.fixture
def transport_up():
    """Start and end each test with the process's transport backoff cleared."""
    outage.BACKOFF.succeeded()
    yield
    outage.BACKOFF.succeeded()


def waiting_rows() -> list[OutboxMessage]:
    """The rows waiting for the mail server (reminders wait for their time instead)."""
    return [r for r in rows() if r.status == "pending" and r.kind != "reminder"]


def test_an_unreachable_server_backs_off_the_transport_and_never_fails_a_row(
        app, mailbox, transport_up):
    book(weekday_at(10, 3, NOW), NOW)
    mailbox.stop()
    at = NOW
    for _ in range(5):  # more rounds than OUTBOX_MAX_ATTEMPTS
        perform_due(at)
        at += timedelta(hours=1)

    admin = rows("admin_new_booking")[0]
    assert admin.status == "pending" and admin.attempts == 0
    assert admin.last_error.startswith(outage.OUTAGE_PREFIX) and "unavailable" in admin.last_error
    assert mailbox.messages() == []


def test_every_waiting_row_shares_the_transports_next_try(app, mailbox, transport_up):
    book(weekday_at(10, 3, NOW), NOW)
    book(weekday_at(11, 3, NOW), NOW)
    mailbox.stop()
    perform_due(NOW)
    assert {r.due_at for r in waiting_rows()} == {NOW + timedelta(seconds=5)}
    perform_due(NOW + timedelta(seconds=5))
    assert {r.due_at for r in waiting_rows()} == {NOW + timedelta(seconds=15)}


def test_the_first_send_after_an_outage_makes_every_waiting_row_due(app, mailbox, transport_up):
    book(weekday_at(10, 3, NOW), NOW)
    book(weekday_at(11, 3, NOW), NOW)
    mailbox.stop()
    perform_due(NOW)
    mailbox.start()
    first = rows("admin_new_booking")[0]

    assert perform(first.id, first.due_at) == "sent"

    assert waiting_rows() and all(r.due_at <= first.due_at for r in waiting_rows())


def test_a_written_follow_up_is_sent_once_and_recorded(app, mailbox):
    booking = book(weekday_at(10, 3, NOW), NOW)
    follow_up = BookingFollowUp(booking_id=booking.id, subject="Your notes", message="Here.")
    db.session.add(follow_up)
    outbox.follow_up_written(follow_up, NOW)
    db.session.commit()
    perform_due(NOW)
    perform_due(NOW)

    stored = db.session.get(BookingFollowUp, follow_up.id)
    assert stored.sent is True and stored.sent_at == NOW
    assert mailbox.subjects("Your notes") == ["Your notes"]


def test_the_sweep_completes_ended_bookings_and_sends_the_automatic_follow_up(app, mailbox):
    save_settings(follow_up_delay_hours=2)
    booking = book(weekday_at(10, 3, NOW), NOW)
    perform_due(NOW)
    after_end = booking.ends_at + timedelta(minutes=1)

    assert sweep(after_end)["completed"] == 1
    assert db.session.get(Booking, booking.id).status == "completed"
    perform_due(after_end)
    assert [m["To"] for m in mailbox.messages() if "Thank you" in m["Subject"]] == []
    perform_due(booking.ends_at + timedelta(hours=2))
    thanks = [m for m in mailbox.messages() if "Thank you" in m["Subject"]]
    assert len(thanks) == 1 and thanks[0]["To"] == CLIENT
    assert db.session.scalar(db.select(BookingFollowUp)).sent is True


def test_a_row_left_sending_by_a_dead_worker_is_sent_after_its_lease(app, mailbox):
    book(weekday_at(10, 3, NOW), NOW)
    admin = rows("admin_new_booking")[0]
    assert claim(admin.id, NOW) is not None  # the worker died right after claiming

    perform_due(NOW)
    assert rows("admin_new_booking")[0].status == "sending"
    assert sweep(NOW + timedelta(minutes=6))["enqueued"] >= 1
    assert perform(admin.id, NOW + timedelta(minutes=6)) == "sent"
    assert len([m for m in mailbox.messages() if m["To"] == ADMIN]) == 1


def test_a_reminder_due_after_the_start_is_skipped(app, mailbox):
    booking = book(weekday_at(10, 3, NOW), NOW)
    perform_due(NOW)
    perform_due(booking.scheduled_at + timedelta(minutes=1))

    assert mailbox.subjects("Reminder:") == []
    assert rows("reminder")[0].status == "skipped"


def test_a_cancellation_tells_the_client_and_the_business_with_the_reason(app, mailbox):
    booking = book(weekday_at(10, 3, NOW), NOW)
    perform_due(NOW)
    cancel_booking(booking.id, "Plans changed", NOW)
    perform_due(NOW)

    [notice] = [m for m in mailbox.messages() if m["To"] == ADMIN and m["Subject"].startswith("Booking cancelled:")]
    assert "Reason: Plans changed" in text_part(notice)
    [cancellation] = [m for m in mailbox.messages() if m["To"] == CLIENT and "Cancelled" in m["Subject"]]
    assert b"METHOD:CANCEL" in calendar_part(cancellation)


def test_an_admin_can_resend_the_confirmation_as_a_new_email(app, mailbox):
    booking = book(weekday_at(10, 3, NOW), NOW)
    perform_due(NOW)
    outbox.confirmation_resent(db.session.get(Booking, booking.id), NOW)
    db.session.commit()
    perform_due(NOW)
    assert len(mailbox.subjects("Confirmed:")) == 2


def test_every_kind_has_an_action():
    from webapp.outbox.actions import ACTIONS

    assert set(ACTIONS) == set(outbox.Kind)


def test_an_unknown_kind_fails_at_once_with_a_clear_error_and_is_logged(app, mailbox, caplog):
    row = OutboxMessage(kind="carrier_pigeon", key="unknown:1", due_at=NOW, recipient=CLIENT)
    db.session.add(row)
    db.session.commit()

    assert perform(row.id, NOW) == "failed"

    failed = db.session.get(OutboxMessage, row.id, populate_existing=True)
    assert (failed.status, failed.attempts) == ("failed", 1)  # no retries: none would help
    assert failed.last_error == "unknown outbox kind 'carrier_pigeon'"
    assert "unknown outbox kind 'carrier_pigeon'" in caplog.text
    assert mailbox.messages() == []
