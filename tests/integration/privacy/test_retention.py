"""Retention: the periodic sweep erases bookings that ended past the window (and their stored
messages), nothing else; manage links of erased bookings stop opening; old audit entries go."""
from datetime import timedelta

from tests.factories import book, store_booking
from tests.integration.privacy.conftest import MONDAY, NOW, is_erased, rome, stored
from webapp.extensions import db
from webapp.models import AuditEntry, BookingFollowUp, OutboxMessage
from webapp.outbox.sweep import sweep
from webapp.services.bookings import booking_by_token
from webapp.services.settings import save_settings
from webapp.services.tokens import manage_token

PERSONAL = {"client_name": "Ada Lovelace", "client_email": "ada@example.com", "client_phone": "+39 06 1234567",
            "client_company": "Engines Ltd", "description": "Analytical engine", "client_notes": "call me",
            "internal_notes": "pays late", "cancellation_reason": None, "meeting_url": "https://meet.example/r1"}


def old_booking(days_ago: int):
    """Store a completed booking that ended `days_ago` days before NOW, with a follow-up and an email."""
    start = NOW - timedelta(days=days_ago, minutes=30)
    booking = store_booking(scheduled_at=start, status="completed", **PERSONAL)
    db.session.add(BookingFollowUp(booking_id=booking.id, subject="Thanks Ada", message="Dear Ada, ..."))
    db.session.add(OutboxMessage(booking_id=booking.id, kind="confirmation", key=f"k{booking.id}",
                                 status="sent", due_at=start, recipient="ada@example.com",
                                 payload={"version": 0, "name": "Ada"}, last_error="550 ada@example.com"))
    db.session.commit()
    return booking


def test_the_sweep_erases_bookings_past_the_window_and_their_messages(app):
    expired = old_booking(days_ago=366)
    kept = old_booking(days_ago=364)
    ahead = book(rome(MONDAY, 10), NOW, client_email="bea@example.com").booking

    sweep(NOW)

    erased = stored(expired.id)
    assert is_erased(erased) and erased.title == "erased"
    assert (erased.status, erased.service_type, erased.duration_minutes, erased.scheduled_at) == (
        "completed", "consultation", 30, expired.scheduled_at)
    assert [(f.subject, f.message) for f in erased.follow_ups] == [("erased", "erased")]
    row = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.booking_id == expired.id))
    assert (row.payload, row.recipient) == ({}, None) and "ada@" not in (row.last_error or "")
    assert booking_by_token(manage_token(expired.uid)) is None, "its manage link no longer opens"

    assert stored(kept.id).client_name == "Ada Lovelace" and stored(kept.id).erased_at is None
    kept_row = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.booking_id == kept.id))
    assert kept_row.recipient == "ada@example.com"
    assert stored(ahead.id).client_email == "bea@example.com"


def test_the_window_follows_the_setting(app):
    booking = old_booking(days_ago=40)
    sweep(NOW)
    assert not is_erased(stored(booking.id))
    save_settings(retention_days=30)
    sweep(NOW)
    assert is_erased(stored(booking.id))


def test_erasure_is_in_the_audit_log_and_old_entries_are_pruned(app):
    booking = old_booking(days_ago=400)
    db.session.add(AuditEntry(at=NOW - timedelta(days=731), actor="system", action="updated",
                              target_type="setting", target_id="business_name", fields=[]))
    db.session.commit()
    sweep(NOW)
    entries = db.session.execute(db.select(AuditEntry.actor, AuditEntry.action, AuditEntry.booking_id)
                                 .where(AuditEntry.at < NOW - timedelta(days=700))).all()
    assert entries == []
    assert ("system", "erased", booking.id) in db.session.execute(
        db.select(AuditEntry.actor, AuditEntry.action, AuditEntry.booking_id)).all()
