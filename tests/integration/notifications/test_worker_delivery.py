"""End to end through Redis, a real worker.py process and a real SMTP server."""
from datetime import datetime, timedelta, timezone

from icalendar import Calendar

from tests.integration.notifications.support import (
    ADMIN,
    CLIENT,
    book,
    calendar_part,
    make_due,
    rows,
    text_part,
    wait_settled,
    wait_until,
    weekday_at,
)
from webapp import outbox
from webapp.database import booking_write_transaction
from webapp.extensions import db
from webapp.mail.references import booking_reference
from webapp.mail.timefmt import format_short
from webapp.models import Booking, OutboxMessage
from webapp.outbox.sweep import sweep
from webapp.services.bookings import cancel_booking, reschedule_booking


def _now():
    return datetime.now(timezone.utc)


def _requeue_everything():
    """Hand every row to the queue again, as a confused sweep might: nothing may repeat."""
    outbox.enqueue([row.id for row in rows()])


def test_confirmation_and_invite_arrive_exactly_once(app, mailbox, start_worker):
    start_worker()
    booking = book(weekday_at(10, 3, _now()), _now())

    wait_until(lambda: mailbox.subjects("Confirmed:"), what="the confirmation")
    wait_settled()
    _requeue_everything()
    wait_settled()
    sweep(_now())
    wait_settled()

    confirmations = [m for m in mailbox.messages() if m["Subject"].startswith("Confirmed:")]
    assert len(confirmations) == 1
    assert confirmations[0]["To"] == CLIENT
    invite = Calendar.from_ical(calendar_part(confirmations[0]))
    assert invite["METHOD"] == "REQUEST"
    stored = db.session.get(Booking, booking.id)
    assert stored.status == "confirmed" and stored.meeting_url
    assert stored.meeting_url in text_part(confirmations[0])
    event = invite.walk("VEVENT")[0]
    assert str(event["UID"]).startswith(booking_reference(stored.uid)) and event["SEQUENCE"] == 0
    admin = [m for m in mailbox.messages() if m["To"] == ADMIN]
    assert len(admin) == 1 and admin[0]["Subject"].startswith("New booking")
    assert len(mailbox.messages()) == 2


def test_cancel_before_the_reminder_sends_no_reminder(app, mailbox, start_worker):
    start_worker()
    booking = book(weekday_at(10, 3, _now()), _now())
    wait_until(lambda: mailbox.subjects("Confirmed:"), what="the confirmation")

    cancel_booking(booking.id, "Plans changed\nsorry", _now())
    wait_until(lambda: mailbox.subjects("Cancelled:"), what="the cancellation")
    make_due("reminder")
    sweep(_now())
    wait_settled()

    assert mailbox.subjects("Reminder:") == []
    cancellations = [m for m in mailbox.messages() if m["Subject"].startswith("Cancelled:")]
    assert len(cancellations) == 1
    cancel = Calendar.from_ical(calendar_part(cancellations[0]))
    assert cancel["METHOD"] == "CANCEL"
    assert cancel.walk("VEVENT")[0]["SEQUENCE"] == 1
    assert "Plans changed" in text_part(cancellations[0])
    assert {r.status for r in rows("reminder")} == {"skipped"}


def test_reschedule_sends_exactly_one_reminder_at_the_new_time(app, mailbox, start_worker):
    start_worker()
    first = weekday_at(10, 3, _now())
    booking = book(first, _now())
    wait_until(lambda: mailbox.subjects("Confirmed:"), what="the confirmation")

    moved = weekday_at(15, 5, _now())
    reschedule_booking(booking.id, moved, _now())
    wait_until(lambda: mailbox.subjects("Rescheduled:"), what="the update invite")
    make_due("reminder")
    sweep(_now())
    wait_settled()

    reminders = [m for m in mailbox.messages() if m["Subject"].startswith("Reminder:")]
    assert len(reminders) == 1
    assert reminders[0]["Subject"].endswith(format_short(moved, "Europe/Rome"))
    update = [m for m in mailbox.messages() if m["Subject"].startswith("Rescheduled:")]
    assert len(update) == 1
    event = Calendar.from_ical(calendar_part(update[0])).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1 and event.decoded("DTSTART") == moved
    assert db.session.get(Booking, booking.id).reminder_sent is True


def test_smtp_down_then_up_delivers_every_message_once(app, mailbox, start_worker):
    mailbox.stop()
    start_worker()
    book(weekday_at(10, 3, _now()), _now())
    wait_until(lambda: [r for r in rows("admin_new_booking") if r.last_error],
               what="a failed attempt while SMTP is down")
    assert "unavailable" in rows("admin_new_booking")[0].last_error
    assert rows("admin_new_booking")[0].status == "pending"  # waiting, never failed

    mailbox.start()
    wait_until(lambda: {r.status for r in rows() if r.kind != "reminder"} == {"sent"},
               what="every message sent once SMTP is back")
    wait_settled()
    assert sorted(m["Subject"].split(":")[0] for m in mailbox.messages()) == [
        "Confirmed", "New booking"]


def test_a_rolled_back_booking_sends_nothing(app, mailbox, start_worker):
    start_worker()
    start = weekday_at(10, 3, _now())
    try:
        with booking_write_transaction() as session:
            booking = Booking(
                scheduled_at=start, ends_at=start + timedelta(minutes=30), duration_minutes=30,
                client_name="Rolled Back", client_email="gone@example.com",
                service_type="consultation", title="Never", timezone="Europe/Rome",
                manage_token_hash="x" * 64, status="confirmed")
            session.add(booking)
            session.flush()
            outbox.booking_confirmed(booking, _now())
            raise RuntimeError("the transaction fails after the outbox row was written")
    except RuntimeError:
        pass
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0

    book(weekday_at(11, 3, _now()), _now())  # a later commit must not carry the lost row
    wait_until(lambda: mailbox.subjects("Confirmed:"), what="the second booking's confirmation")
    wait_settled()
    assert all("gone@example.com" not in m["To"] for m in mailbox.messages())
    assert len(mailbox.messages()) == 2
