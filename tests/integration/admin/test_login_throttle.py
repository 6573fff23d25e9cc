"""Login throttling cannot lock the real admin out, and tells nobody which emails are admins."""
import re
import statistics
import time
from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import csrf_from
from tests.integration.admin.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from webapp.extensions import db
from webapp.services import admin_accounts

NOW = datetime(2030, 1, 7, 9, tzinfo=timezone.utc)
ATTACKER, ADMIN_DESK = "203.0.113.66", "198.51.100.10"


@pytest.fixture
def app_config() -> dict:
    """A clock the test moves."""
    return {"CLOCK": lambda: NOW}


def attempt(client, email: str, password: str, address: str):
    """Post the login form from `address`; return the response."""
    token = csrf_from(client.get("/admin/login", environ_base={"REMOTE_ADDR": address}).text)
    return client.post("/admin/login", data={"csrf_token": token, "email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def answer_text(response) -> str:
    """Return what a login answer says, without its per-request CSRF token."""
    return re.sub(r'value="[^"]*"', 'value=""', response.get_data(as_text=True))


def at(app, seconds: float) -> None:
    """Move the app's clock to NOW + seconds."""
    app.config["CLOCK"] = lambda: NOW + timedelta(seconds=seconds)


def test_an_attackers_failures_never_lock_out_the_admin_at_another_address(client, admin_user):
    answers = {attempt(client, ADMIN_EMAIL, f"guess {i}", ATTACKER).status_code for i in range(12)}
    assert answers == {401}
    assert attempt(client, ADMIN_EMAIL, ADMIN_PASSWORD, ATTACKER).status_code == 401  # throttled there
    assert attempt(client, ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_DESK).status_code == 303  # not here


def test_delays_grow_for_the_address_that_keeps_failing(app, client, admin_user):
    for _ in range(4):  # three free failures, the fourth starts a 30 s wait
        attempt(client, ADMIN_EMAIL, "wrong", ATTACKER)
    at(app, 29)
    assert attempt(client, ADMIN_EMAIL, ADMIN_PASSWORD, ATTACKER).status_code == 401
    at(app, 31)
    assert attempt(client, ADMIN_EMAIL, "wrong again", ATTACKER).status_code == 401  # now 60 s
    at(app, 90)
    assert attempt(client, ADMIN_EMAIL, ADMIN_PASSWORD, ATTACKER).status_code == 401
    at(app, 92)
    assert attempt(client, ADMIN_EMAIL, ADMIN_PASSWORD, ATTACKER).status_code == 303


def test_an_address_spraying_many_emails_is_slowed_as_a_whole(client, admin_user):
    for i in range(11):
        attempt(client, f"guess{i}@studio.example", "password123", ATTACKER)
    assert attempt(client, ADMIN_EMAIL, ADMIN_PASSWORD, ATTACKER).status_code == 401
    assert attempt(client, ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_DESK).status_code == 303


@pytest.fixture
def verifications(monkeypatch) -> list[str]:
    """Record every argon2 verification the login makes (the hash it was checked against)."""
    seen: list[str] = []
    real = admin_accounts._password_matches

    def spy(stored_hash, password):
        """Note the verification, then do it."""
        seen.append(stored_hash)
        return real(stored_hash, password)

    monkeypatch.setattr(admin_accounts, "_password_matches", spy)
    return seen


def test_every_refusal_verifies_one_hash_and_says_the_same(client, admin_user, verifications):
    inactive, _ = admin_accounts.create_admin("former@studio.example", "an old password!")
    inactive.active = False
    db.session.commit()
    for i in range(4):  # the admin's email and an unknown one, both throttled from ATTACKER
        attempt(client, ADMIN_EMAIL, f"guess {i}", ATTACKER)
        attempt(client, "nobody@studio.example", f"guess {i}", ATTACKER)
    verifications.clear()
    cases = [
        ("stranger@studio.example", "whatever", ADMIN_DESK),  # unknown email
        (ADMIN_EMAIL, "whatever", ADMIN_DESK),  # wrong password
        ("former@studio.example", "an old password!", ADMIN_DESK),  # inactive admin
        (ADMIN_EMAIL, ADMIN_PASSWORD, ATTACKER),  # throttled admin, right password
        ("nobody@studio.example", "whatever", ATTACKER),  # throttled unknown email
    ]
    answers = [(email, attempt(client, email, password, address)) for email, password, address in cases]
    assert len(verifications) == len(cases)  # one argon2 verification on every path
    assert {response.status_code for _email, response in answers} == {401}
    texts = {answer_text(response).replace(email, "") for email, response in answers}
    assert len(texts) == 1, "the answers differ"


def test_throttled_and_unknown_answers_take_as_long_as_a_wrong_password(client, admin_user):
    for i in range(4):
        attempt(client, ADMIN_EMAIL, f"guess {i}", ATTACKER)

    def median_seconds(email: str, password: str, address: str) -> float:
        """Return the median time of three login attempts."""
        times = []
        for _ in range(3):
            started = time.perf_counter()
            attempt(client, email, password, address)
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    wrong = median_seconds(ADMIN_EMAIL, "wrong", "192.0.2.1")
    throttled = median_seconds(ADMIN_EMAIL, "wrong", ATTACKER)
    unknown = median_seconds("nobody@studio.example", "wrong", "192.0.2.2")
    # Before, a locked account answered without hashing: about 30 times faster.
    assert throttled > wrong / 3 and unknown > wrong / 3
