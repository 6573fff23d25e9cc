"""'Lost your link?': the same answer for every address; links queued only for real bookings."""
from datetime import date, timedelta

from tests.conftest import csrf_from
from tests.factories import store_booking
from tests.integration.manage.conftest import NOW, rome
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.services.self_service import upcoming_bookings_of


def ask(client, email: str):
    """Post the lost-link form for `email`."""
    csrf = csrf_from(client.get("/manage/lost").text)
    return client.post("/manage/lost", data={"csrf_token": csrf, "email": email})


def queued_links() -> list[OutboxMessage]:
    """Return the manage-links emails in the outbox."""
    return list(db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "manage_links")))


def test_known_and_unknown_addresses_get_the_same_page(client, book):
    book(rome(date(2026, 11, 30), 10))
    known, unknown = ask(client, "mario@example.com"), ask(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    assert known.data == unknown.data


def test_links_of_upcoming_bookings_are_queued_for_the_address(client, book):
    first, _ = book(rome(date(2026, 11, 30), 10))
    second, _ = book(rome(date(2026, 12, 1), 11))
    ask(client, "Mario@Example.com")
    [row] = queued_links()
    assert row.recipient.lower() == "mario@example.com"
    assert row.payload["booking_ids"] == [first.id, second.id]


def test_nothing_is_queued_for_an_address_without_bookings(client, book):
    book(rome(date(2026, 11, 30), 10))
    ask(client, "nobody@example.com")
    assert queued_links() == []


def test_a_malformed_address_is_refused_and_queues_nothing(client):
    response = ask(client, "not-an-address")
    assert response.status_code == 422 and 'class="error"' in response.text
    assert queued_links() == []


def test_only_active_bookings_that_have_not_ended_count(app):
    upcoming = store_booking(scheduled_at=NOW + timedelta(days=2))
    store_booking(scheduled_at=NOW - timedelta(days=2))
    store_booking(scheduled_at=NOW + timedelta(days=3), status="cancelled")
    store_booking(scheduled_at=NOW + timedelta(days=4), client_email="luigi@example.com")
    assert upcoming_bookings_of("MARIO@example.com", NOW) == [upcoming]
