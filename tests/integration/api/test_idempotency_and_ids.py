"""Idempotency keys, public uids versus admin integer ids, and API tokens."""
from datetime import datetime, timedelta, timezone

from click.testing import CliRunner

from tests.integration.api.conftest import API, SEED_BOOKING, snapshot
from webapp.extensions import db
from webapp.models import ApiToken, Booking, IdempotencyRecord
from webapp.outbox.sweep import sweep
from webapp.services.api_tokens import verify_api_token
from webapp.services.bookings import booking_by_token

BOOKINGS = f"{API}/bookings"


def test_a_retried_request_gets_the_first_answer_and_books_once(client):
    headers = {"Idempotency-Key": "order-42"}
    first = client.post(BOOKINGS, json=SEED_BOOKING, headers=headers)
    again = client.post(BOOKINGS, json=dict(reversed(SEED_BOOKING.items())), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert db.session.scalar(db.select(db.func.count()).select_from(Booking)) == 1


def test_the_stored_answer_holds_no_manage_token(client):
    first = client.post(BOOKINGS, json=SEED_BOOKING, headers={"Idempotency-Key": "k1"})
    stored = db.session.scalar(db.select(IdempotencyRecord.response_body))
    token = first.json["manage_url"].rsplit("/", 1)[1]
    assert token not in stored and "manage_url" not in stored


def test_the_sweep_forgets_answers_after_a_day(client):
    client.post(BOOKINGS, json=SEED_BOOKING, headers={"Idempotency-Key": "old"})
    stored_at = db.session.scalar(db.select(IdempotencyRecord.created_at))
    sweep(stored_at + timedelta(hours=23))
    assert db.session.scalar(db.select(db.func.count()).select_from(IdempotencyRecord)) == 1
    sweep(stored_at + timedelta(hours=25))
    assert db.session.scalar(db.select(db.func.count()).select_from(IdempotencyRecord)) == 0


def test_the_same_key_with_another_body_is_refused(client):
    client.post(BOOKINGS, json=SEED_BOOKING, headers={"Idempotency-Key": "k2"})
    before = snapshot()
    other = {**SEED_BOOKING, "scheduled_at": "2025-11-05T10:00:00"}
    response = client.post(BOOKINGS, json=other, headers={"Idempotency-Key": "k2"})
    assert response.status_code == 422
    assert "different request body" in response.json["error"]["message"]
    assert snapshot() == before


def test_a_refused_request_does_not_use_up_its_key(client):
    taken = client.post(BOOKINGS, json=SEED_BOOKING)
    assert taken.status_code == 201
    response = client.post(BOOKINGS, json=SEED_BOOKING, headers={"Idempotency-Key": "k3"})
    assert response.status_code == 409
    client.post(f"{BOOKINGS}/{taken.json['uid']}/cancel", json={})
    retry = client.post(BOOKINGS, json=SEED_BOOKING, headers={"Idempotency-Key": "k3"})
    assert retry.status_code == 201


def test_a_key_still_in_progress_answers_409(client):
    from tests.integration.api.conftest import NOW
    from webapp.services.idempotency import IN_PROGRESS, fingerprint, scoped_key

    db.session.add(IdempotencyRecord(key=scoped_key("address:127.0.0.1", "busy"),
                                     request_hash=fingerprint(SEED_BOOKING),
                                     response_status=IN_PROGRESS, response_body="", created_at=NOW))
    db.session.commit()
    response = client.post(BOOKINGS, json=SEED_BOOKING, headers={"Idempotency-Key": "busy"})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "idempotency_key_in_use"


def test_anonymous_callers_see_their_credential_as_id_and_admins_the_integer(client, admin_token):
    created = client.post(BOOKINGS, json=SEED_BOOKING).json
    booking = booking_by_token(created["id"])
    auth = {"Authorization": f"Bearer {admin_token}"}
    assert created["id"] == created["uid"] == created["manage_url"].rsplit("/", 1)[1]
    assert client.get(f"{BOOKINGS}/{created['id']}").json["id"] == created["id"]
    assert client.get(f"{BOOKINGS}/{booking.uid}", headers=auth).json["id"] == booking.id
    assert client.get(f"{BOOKINGS}/{booking.id}", headers=auth).json["uid"] == booking.uid


def test_admins_create_and_cancel_by_integer_id(client, admin_token):
    auth = {"Authorization": f"Bearer {admin_token}"}
    created = client.post(BOOKINGS, json=SEED_BOOKING, headers=auth).json
    assert isinstance(created["id"], int)
    cancelled = client.post(f"{BOOKINGS}/{created['id']}/cancel", json={}, headers=auth)
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"


def test_unknown_and_unauthorised_ids_get_the_same_404(client, admin_token):
    created = client.post(BOOKINGS, json=SEED_BOOKING).json
    integer_id = booking_by_token(created["id"]).id
    auth = {"Authorization": f"Bearer {admin_token}"}
    answers = [
        client.get(f"{BOOKINGS}/{integer_id}"),
        client.get(f"{BOOKINGS}/{integer_id + 1}"),
        client.get(f"{BOOKINGS}/{integer_id + 1}", headers=auth),
        client.get(f"{BOOKINGS}/{created['uid'][:-1]}"),
        client.get(f"{BOOKINGS}/{created['uid'].upper()}"),
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({a.get_data() for a in answers}) == 1


def test_a_revoked_token_is_refused(client, admin_token):
    token = db.session.scalar(db.select(ApiToken))
    token.revoked_at = token.created_at
    db.session.commit()
    response = client.get(f"{API}/bookings/1", headers={"Authorization": f"Bearer {admin_token}"})
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_create_api_token_command_prints_a_token_once_and_stores_its_hash(app):
    result = CliRunner().invoke(app.cli, ["create-api-token", "zapier"], obj=None,
                                catch_exceptions=False)
    token = result.output.strip()
    assert result.exit_code == 0 and len(token) >= 40
    stored = db.session.scalar(db.select(ApiToken).where(ApiToken.name == "zapier"))
    assert stored.token_hash != token and token not in stored.token_hash
    used_at = datetime(2030, 1, 1, tzinfo=timezone.utc)
    assert verify_api_token(token, used_at).id == stored.id
    assert stored.last_used_at == used_at


def test_create_api_token_command_needs_a_name(app):
    result = app.test_cli_runner().invoke(args=["create-api-token", "   "])
    assert result.exit_code != 0 and "name" in result.output.lower()
