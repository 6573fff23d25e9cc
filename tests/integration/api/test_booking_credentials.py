"""What opens a booking through the API: the creator's credential or an admin token, nothing else."""
from datetime import timedelta

import pytest

from tests.integration.api.conftest import API, NOW, SEED_BOOKING, snapshot
from webapp.extensions import db
from webapp.mail.ics import event_uid
from webapp.mail.references import booking_reference
from webapp.models import Booking, IdempotencyRecord
from webapp.services.bookings import booking_by_token

BOOKINGS = f"{API}/bookings"
STRANGER = {"REMOTE_ADDR": "203.0.113.9"}


@pytest.fixture
def created(client) -> dict:
    """A booking made anonymously through the API (the seed's example): its answer."""
    response = client.post(BOOKINGS, json=SEED_BOOKING)
    assert response.status_code == 201
    return response.json


def leaked_values(created: dict) -> list[str]:
    """The values an attacker can see without being the creator: uid, invite UID, widget reference."""
    booking = booking_by_token(created["id"])
    return [booking.uid, event_uid(booking, "studiocentos.it"), booking_reference(booking.uid)]


def test_the_uid_and_its_references_neither_read_nor_cancel(client, created):
    before = snapshot()
    for value in leaked_values(created):
        read = client.get(f"{BOOKINGS}/{value}", environ_base=STRANGER)
        cancel = client.post(f"{BOOKINGS}/{value}/cancel", json={}, environ_base=STRANGER)
        assert read.status_code == cancel.status_code == 404
        assert "mario@example.com" not in read.get_data(as_text=True)
    assert snapshot() == before


def test_the_creators_id_reads_and_cancels_and_an_admin_token_addresses_the_uid(client, created,
                                                                                 admin_token):
    uid = booking_by_token(created["id"]).uid
    auth = {"Authorization": f"Bearer {admin_token}"}
    assert client.get(f"{BOOKINGS}/{created['id']}").json["client_email"] == "mario@example.com"
    assert client.get(f"{BOOKINGS}/{uid}", headers=auth).json["uid"] == uid
    assert client.post(f"{BOOKINGS}/{created['id']}/cancel", json={}).json["status"] == "cancelled"


def test_a_client_cancel_past_the_cut_off_is_refused_like_on_the_manage_page(app, client, created):
    app.config["CLOCK"] = lambda: NOW + timedelta(hours=9)  # the booking starts in 15 hours
    before = snapshot()
    response = client.post(f"{BOOKINGS}/{created['id']}/cancel", json={})
    assert response.status_code == 409
    assert "less than 24 hours" in response.json["error"]["message"]
    assert snapshot() == before


def test_an_admin_may_still_cancel_past_the_cut_off(app, client, created, admin_token):
    app.config["CLOCK"] = lambda: NOW + timedelta(hours=9)
    uid = booking_by_token(created["id"]).uid
    response = client.post(f"{BOOKINGS}/{uid}/cancel", json={},
                           headers={"Authorization": f"Bearer {admin_token}"})
    assert response.status_code == 200 and response.json["status"] == "cancelled"


@pytest.mark.parametrize("kwargs", [
    dict(),  # an empty body, no Content-Type: what a cross-site no-cors fetch or <form> sends
    dict(data="", content_type="text/plain"),
    dict(data='{"cancellation_reason": "x"}', content_type="text/plain"),
], ids=["empty", "empty text/plain", "json as text/plain"])
def test_a_cancel_without_a_json_content_type_is_refused(client, created, kwargs):
    before = snapshot()
    response = client.post(f"{BOOKINGS}/{created['id']}/cancel",
                           headers={"Origin": "https://evil.example"}, **kwargs)
    assert response.status_code == 415 and response.is_json
    assert snapshot() == before


def test_no_credential_is_stored_in_the_idempotency_answer(client):
    created = client.post(BOOKINGS, json=SEED_BOOKING, headers={"Idempotency-Key": "k"}).json
    again = client.post(BOOKINGS, json=SEED_BOOKING, headers={"Idempotency-Key": "k"}).json
    assert again == created
    assert created["id"] not in db.session.scalar(db.select(IdempotencyRecord.response_body))


class TestIdempotencyKeysBelongToTheirCaller:
    """Item 10: a key sent by someone else is another key."""

    def test_an_admins_key_replayed_anonymously_does_not_return_the_admins_answer(self, client,
                                                                                   admin_token):
        auth = {"Authorization": f"Bearer {admin_token}", "Idempotency-Key": "order-1"}
        admin_answer = client.post(BOOKINGS, json=SEED_BOOKING, headers=auth)
        assert admin_answer.status_code == 201 and isinstance(admin_answer.json["id"], int)
        replay = client.post(BOOKINGS, json=SEED_BOOKING, headers={"Idempotency-Key": "order-1"})
        assert replay.status_code == 409  # a fresh request: the slot is taken, no stored answer
        assert str(admin_answer.json["id"]) not in replay.get_data(as_text=True)

    def test_a_stranger_cannot_burn_a_clients_key(self, client):
        other_body = {**SEED_BOOKING, "scheduled_at": "2025-11-05T10:00:00"}
        burn = client.post(BOOKINGS, json=other_body, headers={"Idempotency-Key": "mine"},
                           environ_base=STRANGER)
        assert burn.status_code == 201
        mine = client.post(BOOKINGS, json=SEED_BOOKING, headers={"Idempotency-Key": "mine"})
        assert mine.status_code == 201 and mine.json["scheduled_at"] == "2025-11-05T09:00:00"
        retry = client.post(BOOKINGS, json=SEED_BOOKING, headers={"Idempotency-Key": "mine"})
        assert retry.json == mine.json
        assert db.session.scalar(db.select(db.func.count()).select_from(Booking)) == 2

    def test_two_admin_tokens_do_not_share_keys(self, client, admin_token):
        from webapp.services.api_tokens import create_api_token

        other = create_api_token("other program")
        first = client.post(BOOKINGS, json=SEED_BOOKING, headers={
            "Authorization": f"Bearer {admin_token}", "Idempotency-Key": "same"})
        second = client.post(BOOKINGS, json=SEED_BOOKING, headers={
            "Authorization": f"Bearer {other}", "Idempotency-Key": "same"})
        assert first.status_code == 201 and second.status_code == 409
