"""A booking's meeting through the real outbox steps: create, confirm, move, cancel, fall back."""
from datetime import timedelta

from tests.integration.integrations.support import connect_account, fresh, now
from tests.integration.notifications.support import book, rows, weekday_at
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.outbox.perform import perform
from webapp.services.bookings import cancel_booking, reschedule_booking


def perform_due(at) -> list[str]:
    """Perform every row due at `at` (and what those rows add), as the worker would."""
    outcomes = []
    while ids := [r.id for r in rows() if r.status == "pending" and r.due_at <= at]:
        outcomes += [perform(i, at) for i in ids]
    return outcomes


def book_with(provider: str, start):
    """Book through the service, choosing `provider` as a client does in the form."""
    return book(start, now(), meeting_provider=provider)


def test_a_google_booking_is_confirmed_with_its_meet_link_then_moved_then_deleted(app, stubs):
    google = stubs["google_meet"][0]
    connect_account("google_meet", stubs["google_meet"][1], access_token="google-access-token")
    booking = book_with("google_meet", weekday_at(10, 3, now()))

    perform_due(now())

    stored = fresh(booking.id)
    assert stored.status == "confirmed" and stored.meeting_url.startswith("https://meet.google.com/")
    event = google.events[stored.meeting_id]
    assert event["attendees"][0]["email"] == "ada@example.com"
    assert [r.kind for r in rows() if r.kind == "confirmation"] == ["confirmation"]

    reschedule_booking(booking.id, weekday_at(11, 4, now()), now())
    perform_due(now())
    moved = fresh(booking.id)
    assert event["start"]["dateTime"].startswith(moved.scheduled_at.strftime("%Y-%m-%dT%H:%M"))
    assert {r.status for r in rows("meeting_update")} == {"sent"}

    cancel_booking(booking.id, None, now())
    perform_due(now())
    assert event["status"] == "cancelled" and {r.status for r in rows("meeting_delete")} == {"sent"}


def test_a_zoom_outage_is_retried_with_backoff_then_the_booking_is_confirmed_on_jitsi(app, stubs):
    zoom = stubs["zoom"][0]
    connect_account("zoom", stubs["zoom"][1], access_token="zoom-access-token")
    zoom.fail_next(503, times=10)
    booking = book_with("zoom", weekday_at(10, 3, now()))
    at = now()

    outcomes = [perform(rows("meeting_create")[0].id, at)]
    for _ in range(2):  # MEETING_ATTEMPTS = 3: wait out each backoff
        at = rows("meeting_create")[0].due_at
        outcomes.append(perform(rows("meeting_create")[0].id, at))

    assert outcomes == ["retry", "retry", "sent"]
    stored = fresh(booking.id)
    assert stored.status == "confirmed" and stored.meeting_provider == "jitsi"
    assert "Zoom could not create the meeting" in stored.meeting_error
    assert len(zoom.calls("POST")) == 3 and zoom.meetings == {}


def test_a_created_zoom_meeting_is_not_created_again_when_the_step_repeats(app, stubs):
    zoom = stubs["zoom"][0]
    connect_account("zoom", stubs["zoom"][1], access_token="zoom-access-token")
    booking = book_with("zoom", weekday_at(10, 3, now()))
    perform_due(now())
    step = rows("meeting_create")[0]

    # as if a worker died after storing the meeting but before finishing the row
    db.session.get(OutboxMessage, step.id).status = "pending"
    db.session.commit()
    perform_due(now())

    assert len(zoom.calls("POST")) == 1 and list(zoom.meetings) == [fresh(booking.id).meeting_id]


def test_jitsi_bookings_add_no_meeting_steps_for_moves_and_cancels(app):
    booking = book(weekday_at(10, 3, now()), now())
    perform_due(now())

    reschedule_booking(booking.id, weekday_at(10, 3, now()) + timedelta(hours=1), now())
    cancel_booking(booking.id, None, now())

    assert rows("meeting_update") == [] and rows("meeting_delete") == []


def test_the_update_email_waits_for_the_meeting_to_move(app, stubs):
    connect_account("google_meet", stubs["google_meet"][1], access_token="google-access-token")
    booking = book_with("google_meet", weekday_at(10, 3, now()))
    perform_due(now())
    reschedule_booking(booking.id, weekday_at(11, 4, now()), now())

    [update] = [r for r in rows("update")]
    assert perform(update.id, now()) == "deferred"
    waiting = db.session.get(OutboxMessage, update.id, populate_existing=True)
    assert waiting.status == "pending" and waiting.attempts == 0
    assert "meeting_update" in waiting.last_error

    perform(rows("meeting_update")[0].id, now())
    assert perform_due(waiting.due_at) == ["sent"]


def test_a_failing_provider_does_not_hold_the_confirmation_and_the_link_follows(app, stubs):
    zoom = stubs["zoom"][0]
    connect_account("zoom", stubs["zoom"][1], access_token="zoom-access-token")
    zoom.fail_next(503, times=1)
    booking = book_with("zoom", weekday_at(10, 3, now()))
    step = rows("meeting_create")[0]

    assert perform(step.id, now()) == "retry"
    assert fresh(booking.id).status == "confirmed" and fresh(booking.id).meeting_url is None
    [confirmation] = rows("confirmation")
    assert perform(confirmation.id, now()) == "sent"

    assert perform(step.id, rows("meeting_create")[0].due_at) == "sent"
    [link] = rows("meeting_link")
    assert perform(link.id, link.due_at) == "sent"
    assert fresh(booking.id).meeting_url.startswith("https://")
    assert len(rows("confirmation")) == 1
