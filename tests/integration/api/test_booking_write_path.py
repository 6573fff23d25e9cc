"""PostgreSQL: the booking write path's round trips, counted, and what its host lock covers.

A booking through the API writes its rows first, then takes its host's lock for the check,
making its host link active, and the commit only; it answers without reading anything back.
Counted, never timed.
"""
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from tests.factories import book, create_rule, create_service_type
from tests.integration.services.test_hosts import add_host, service_with
from webapp.api.shapes import created_json, for_caller
from webapp.extensions import db
from webapp.models import AuditEntry, Booking, BookingHost, OutboxMessage
from webapp.models.host import COLLECTIVE
from webapp.services.booking_insert import insert_booking
from webapp.services.errors import SlotTaken
from webapp.services.tokens import manage_url

NOW = datetime(2030, 1, 1, 8, tzinfo=timezone.utc)
NINE_ROME = datetime(2030, 1, 7, 8, tzinfo=timezone.utc)  # Monday 09:00 in Rome
BOOKINGS = "/api/v1/booking/bookings"
#: one request's database work: the configuration version, one statement inserting the booking,
#: its host link and its audit entry, the outbox insert (all rows at once), then the lock, one
#: statement for the bookings and the outside busy times near the start (with the config
#: version), and the host link made active.
#: The meeting providers, webhook endpoints and calendar sources come from the configuration
#: cache, a new booking's outbox keys cannot be stored yet, and the answer is built from what
#: was written (`database.keep_loaded`): nothing is read after the commit
ROUND_TRIPS = 6


@pytest.fixture
def database_url(postgres_url):
    """The host locks are PostgreSQL's advisory locks."""
    return postgres_url


@pytest.fixture
def app_config():
    """Freeze the clock."""
    return {"CLOCK": lambda: NOW}


class Recorder:
    """Every statement and commit the app's engine sends, in order."""

    def __init__(self, engine):
        self.engine, self.sent = engine, []

    def __enter__(self):
        for name, listener in self._listeners():
            event.listen(self.engine, name, listener)
        return self.sent

    def __exit__(self, *_exc):
        for name, listener in self._listeners():
            event.remove(self.engine, name, listener)

    def _listeners(self):
        """Return the engine events recorded, with their listeners."""
        return (("before_cursor_execute", self._statement), ("begin", self._begin), ("commit", self._commit),
                ("rollback", self._rollback))

    def _statement(self, _conn, _cursor, statement, _params, _context, _many):
        self.sent.append(" ".join(statement.split()))

    def _begin(self, _conn):
        self.sent.append("BEGIN")

    def _commit(self, _conn):
        self.sent.append("COMMIT")

    def _rollback(self, _conn):
        self.sent.append("ROLLBACK")


def post_booking(client, start: datetime, email: str = "mario@example.com", **fields):
    """Book `start` through the API as an anonymous client."""
    return client.post(BOOKINGS, json={"client_name": "Mario Rossi", "client_email": email,
                                       "service_type": "consultation", "timezone": "Europe/Rome",
                                       "scheduled_at": start.isoformat(), **fields})


def test_a_booking_takes_the_same_round_trips_however_full_the_day(app, client):
    post_booking(client, NINE_ROME + timedelta(days=7))  # warm the process's caches
    counts = []
    for n in range(4):
        if n == 2:  # a full day around the next one: every other slot of the week taken
            for slot in range(2, 16, 2):
                book(NINE_ROME + timedelta(minutes=30 * slot), NOW, client_email=f"c{slot}@example.com")
        db.session.remove()  # a server's request starts with an empty session (the test client shares this one)
        with Recorder(db.engine) as sent:
            assert post_booking(client, NINE_ROME + timedelta(minutes=30 * (2 * n + 1)),
                                email=f"n{n}@example.com").status_code == 201
        counts.append(len([s for s in sent if s not in ("BEGIN", "COMMIT", "ROLLBACK")]))
    assert counts == [ROUND_TRIPS] * 4, sent
    # one transaction from the version read on (no ROLLBACK and BEGIN between), nothing read after it
    assert (sent[0], sent.count("BEGIN"), "ROLLBACK" in sent, sent[-1]) == ("BEGIN", 1, False, "COMMIT"), sent


def test_one_statement_writes_the_booking_its_host_link_and_its_audit_entry(app, client):
    with Recorder(db.engine) as sent:
        response = post_booking(client, NINE_ROME)
    assert response.status_code == 201
    inserts = [s for s in sent if "INSERT INTO" in s]
    assert [s.split()[0] for s in inserts] == ["WITH", "INSERT"], inserts  # bookings, links, audit; the outbox
    db.session.remove()
    booking = db.session.scalar(db.select(Booking))
    link = db.session.scalar(db.select(BookingHost))
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.target_type == "booking"))
    assert (link.booking_id, link.host.slug, link.scheduled_at, link.ends_at, link.active) == \
        (booking.id, "studiocentos", booking.scheduled_at, booking.ends_at, True)
    assert (entry.at, entry.actor, entry.action, entry.target_type, entry.target_id, entry.booking_id,
            entry.fields, entry.detail) == (NOW, "api-anonymous", "created", "booking", str(booking.id), booking.id,
                                            [], "pending")
    assert (booking.version, booking.reminder_sent, booking.locale) == (0, False, "en")  # the columns' defaults
    assert None not in (booking.created_at, booking.updated_at)


def test_a_collective_booking_holds_every_host_through_the_one_statement(app):
    ada, bea = add_host("Ada"), add_host("Bea")
    service_with([ada, bea], COLLECTIVE)
    created = book(NINE_ROME, NOW, service_type="team").booking
    db.session.remove()
    links = db.session.scalars(db.select(BookingHost).where(BookingHost.booking_id == created.id)).all()
    assert sorted((link.host_id, link.active) for link in links) == [(ada.id, True), (bea.id, True)]
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.booking_id == created.id)) == 1


def test_the_constraint_refusing_the_activation_answers_taken_and_stores_nothing(app, monkeypatch):
    """The activation runs on the driver's cursor; the exclusion constraint's refusal still reads as taken."""
    book(NINE_ROME, NOW)
    inserted = []
    monkeypatch.setattr("webapp.services.bookings.why_slot_not_free", lambda *_args, **_kwargs: None)  # no check
    monkeypatch.setattr("webapp.services.bookings.insert_booking",
                        lambda session, booking: (inserted.extend([booking, *booking.host_links]),
                                                  insert_booking(session, booking)))
    with pytest.raises(SlotTaken):
        book(NINE_ROME + timedelta(minutes=15), NOW, client_email="luigi@example.com")
    # the refused booking and its link left the session with the rollback, as a flush's inserts do
    assert len(inserted) == 2 and not set(inserted) & set(db.session)
    db.session.remove()
    assert db.session.scalar(db.select(db.func.count()).select_from(Booking)) == 1
    assert book(NINE_ROME + timedelta(hours=1), NOW).booking.status == "pending"  # the session works on


def test_a_write_after_a_failed_statement_begins_a_fresh_transaction(app):
    """A read-only transaction goes on as the write transaction only while PostgreSQL has not aborted it."""
    with pytest.raises(DBAPIError):
        db.session.execute(text("SELECT 1 / 0"))
    assert book(NINE_ROME, NOW).booking.status == "pending"


def test_the_answer_built_without_a_read_back_is_what_the_database_holds(app, client):
    response = post_booking(client, NINE_ROME, client_phone="+39 06 1234 5678")
    assert response.status_code == 201
    db.session.remove()
    stored = db.session.scalar(db.select(Booking))
    expected = {**for_caller(created_json(stored, admin=False), admin=False), "manage_url": manage_url(stored.uid)}
    assert response.get_json() == expected
    assert response.headers["Location"].endswith(f"/bookings/{expected['uid']}")


def test_the_host_lock_covers_the_check_and_the_commit_only(app, client):
    with Recorder(db.engine) as sent:
        response = post_booking(client, NINE_ROME)
    assert response.status_code == 201
    locked = next(n for n, statement in enumerate(sent) if "pg_advisory_xact_lock" in statement)
    under_lock = sent[locked + 1:sent.index("COMMIT") + 1]
    assert [s.split()[0] for s in under_lock] == ["SELECT", "UPDATE", "COMMIT"], under_lock
    assert "FROM bookings" in under_lock[0] and "FROM external_busy" in under_lock[0]
    assert under_lock[1].startswith("UPDATE booking_hosts SET active")
    # written before the lock, in one statement for every outbox row
    assert sum(s.startswith("INSERT INTO outbox_messages") for s in sent) == 1
    stored = db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.booking_id == db.session.scalar(db.select(Booking.id)))).all()
    assert len(stored) >= 3  # the meeting step, the business's notice, the reminders
    # the driver's cursor wrote what SQLAlchemy would: JSON payloads, instants, the columns' defaults
    assert all(row.payload["version"] == 0 and row.due_at.tzinfo and row.key.startswith("booking:")
               and (row.status, row.attempts, row.lapsed_claims) == ("pending", 0, 0) for row in stored)
    assert {row.kind: row.payload for row in stored}["meeting_create"] == {"version": 0, "auto_confirm": True}
    assert response.get_json()["scheduled_at_utc"] == "2030-01-07T08:00:00Z"


def test_a_created_booking_is_read_fresh_after_the_next_transaction_boundary(app):
    """The values kept after the commit serve the answer; a rollback (or commit) expires them as usual."""
    booking = book(NINE_ROME, NOW).booking
    with Recorder(db.engine) as sent:
        assert (booking.status, booking.hosts[0].slug) == ("pending", "studiocentos")
    assert sent == []
    with db.engine.begin() as other:  # another process confirms it meanwhile
        other.execute(db.update(Booking).where(Booking.id == booking.id).values(status="confirmed"))
    db.session.rollback()
    assert db.session.get(Booking, booking.id).status == "confirmed"


def test_a_buffer_still_keeps_the_next_start_free_of_bookings(app, client):
    """The bookings read for the check reach as far as the longest buffer of any type."""
    create_service_type(key="long", name="Long", buffer_after=600)
    create_rule(service_type="long", day_of_week=0)
    book(NINE_ROME, NOW, service_type="long")
    later = NINE_ROME + timedelta(hours=7, minutes=30)  # 16:30 Rome: inside the 10 hours after it
    assert post_booking(client, later).status_code == 409
    db.session.remove()
    assert db.session.scalar(db.select(db.func.count()).select_from(Booking)) == 1


def book_together(app, starts: list[datetime]) -> list[str]:
    """Book each start from its own thread, all released at once; return each outcome."""
    barrier = threading.Barrier(len(starts))

    def one_client(number: int) -> str:
        with app.app_context():
            barrier.wait()
            try:
                book(starts[number], NOW, client_email=f"c{number}@example.com")
                return "booked"
            except SlotTaken:
                return "taken"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(len(starts)) as pool:
        return list(pool.map(one_client, range(len(starts))))


def test_simultaneous_bookings_of_one_start_give_one_winner(app):
    outcomes = book_together(app, [NINE_ROME] * 12)
    assert sorted(outcomes) == ["booked"] + ["taken"] * 11


def test_simultaneous_bookings_that_clash_only_through_a_buffer_give_one_winner(app):
    """Different starts, no overlap the constraint sees: the check under the host lock decides."""
    db.session.execute(db.update(db.metadata.tables["service_types"])
                       .where(db.text("key = 'consultation'")).values(buffer_after=30))
    db.session.commit()
    starts = [NINE_ROME + timedelta(minutes=30 * (n % 2)) for n in range(12)]  # 09:00 and 09:30
    outcomes = book_together(app, starts)
    assert sorted(outcomes) == ["booked"] + ["taken"] * 11
