"""'Lost your link?': the same answer and the same work for every address; links mailed only for real bookings."""
from datetime import date, timedelta
from pathlib import Path

from tests.conftest import csrf_from
from tests.factories import store_booking
from tests.integration.manage.conftest import NOW, rome
from tests.sql import recorded_statements
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.outbox.perform import perform
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


def sent_mail(app) -> list[str]:
    """Return the emails written to the mail folder (no mail server in tests)."""
    return [path.read_text() for path in sorted(Path(app.config["MAIL_DIR"]).glob("*.eml"))]


def test_the_links_of_upcoming_bookings_are_mailed_to_the_address_on_file(app, client, book):
    _first, first_token = book(rome(date(2026, 11, 30), 10))
    _second, second_token = book(rome(date(2026, 12, 1), 11))
    ask(client, "Mario@Example.com")
    [row] = queued_links()
    assert perform(row.id, NOW) == "sent"
    [mail] = [text for text in sent_mail(app) if first_token in text]
    assert second_token in mail and "To: mario@example.com" in mail


def test_nothing_is_sent_to_an_address_without_bookings(app, client, book):
    book(rome(date(2026, 11, 30), 10))
    before = sent_mail(app)
    ask(client, "nobody@example.com")
    [row] = queued_links()
    assert perform(row.id, NOW) == "skipped" and sent_mail(app) == before




def test_an_address_with_bookings_costs_the_request_the_same_work_as_one_without(client, book):
    book(rome(date(2026, 11, 30), 10))
    book(rome(date(2026, 12, 1), 11))
    csrf = csrf_from(client.get("/manage/lost").text)
    work = {}
    for email in ("mario@example.com", "nobody@example.com"):
        with recorded_statements(this_thread_only=True) as statements:
            response = client.post("/manage/lost", data={"csrf_token": csrf, "email": email})
        work[email] = (response.status_code, response.data, statements)
    assert work["mario@example.com"] == work["nobody@example.com"]
    assert any("outbox_messages" in sql for sql in work["nobody@example.com"][2])
    assert not any("FROM bookings" in sql for sql in work["nobody@example.com"][2])


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
