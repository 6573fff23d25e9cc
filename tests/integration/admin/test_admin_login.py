"""Login: argon2 hashes, one generic message, per-address delays, a per-IP limit, create-admin."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.integration.admin.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, log_in
from webapp.extensions import db
from webapp.services.admin_accounts import LOGIN_FAILED, LoginFailed, authenticate, create_admin, find_admin
from webapp.services.errors import ValidationFailed

MAX_DELAY = timedelta(minutes=15)
HERE = "198.51.100.7"


def test_passwords_are_stored_as_argon2id_hashes(admin_user):
    assert admin_user.password_hash.startswith("$argon2id$")
    assert ADMIN_PASSWORD not in admin_user.password_hash


def test_unknown_email_and_wrong_password_get_the_same_answer(client, admin_user):
    unknown = log_in(client, email="nobody@studio.example")
    wrong = log_in(client, password="not the password")
    assert unknown.status_code == wrong.status_code == 401
    assert LOGIN_FAILED.split(",")[0] in unknown.get_data(as_text=True)
    alerts = [answer.get_data(as_text=True).count('role="alert"') for answer in (unknown, wrong)]
    assert alerts[0] == alerts[1]


def test_wrong_passwords_from_one_address_slow_down_that_address_for_a_growing_while(admin_user):
    start = datetime(2030, 1, 1, 9, tzinfo=timezone.utc)
    for _ in range(4):  # three are free, the fourth starts a 30 s wait
        with pytest.raises(LoginFailed):
            authenticate(ADMIN_EMAIL, "wrong", start, address=HERE, max_delay=MAX_DELAY)
    with pytest.raises(LoginFailed):  # the right password, too soon
        authenticate(ADMIN_EMAIL, ADMIN_PASSWORD, start + timedelta(seconds=29), address=HERE,
                     max_delay=MAX_DELAY)
    with pytest.raises(LoginFailed):  # a fifth wrong one after the wait: now 60 s
        authenticate(ADMIN_EMAIL, "wrong", start + timedelta(seconds=31), address=HERE, max_delay=MAX_DELAY)
    with pytest.raises(LoginFailed):
        authenticate(ADMIN_EMAIL, ADMIN_PASSWORD, start + timedelta(seconds=90), address=HERE,
                     max_delay=MAX_DELAY)
    assert authenticate(ADMIN_EMAIL, ADMIN_PASSWORD, start + timedelta(seconds=92), address=HERE,
                        max_delay=MAX_DELAY).email == ADMIN_EMAIL


def test_a_right_password_resets_the_count_of_wrong_ones(admin_user):
    start = datetime(2030, 1, 1, 9, tzinfo=timezone.utc)
    for _ in range(3):
        with pytest.raises(LoginFailed):
            authenticate(ADMIN_EMAIL, "wrong", start, address=HERE, max_delay=MAX_DELAY)
    authenticate(ADMIN_EMAIL, ADMIN_PASSWORD, start, address=HERE, max_delay=MAX_DELAY)
    with pytest.raises(LoginFailed):
        authenticate(ADMIN_EMAIL, "wrong", start, address=HERE, max_delay=MAX_DELAY)
    assert authenticate(ADMIN_EMAIL, ADMIN_PASSWORD, start, address=HERE, max_delay=MAX_DELAY)


def test_email_is_matched_without_regard_to_case(admin_user):
    assert authenticate(ADMIN_EMAIL.upper(), ADMIN_PASSWORD, datetime.now(timezone.utc), address=HERE,
                        max_delay=MAX_DELAY)


def test_a_deactivated_admin_cannot_log_in(client, admin_user):
    admin_user.active = False
    db.session.commit()
    assert log_in(client).status_code == 401


def test_short_passwords_and_bad_emails_are_refused(app):
    with pytest.raises(ValidationFailed) as error:
        create_admin("not-an-email", "short")
    assert set(error.value.fields) == {"email", "password"}


def test_the_session_cookie_is_httponly_and_lax(client, admin_user):
    cookie = log_in(client).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


class TestSecureCookies:
    """With SESSION_COOKIE_SECURE the session cookie only travels over HTTPS."""

    @pytest.fixture
    def app_config(self):
        return {"SESSION_COOKIE_SECURE": True}

    def test_the_session_cookie_is_secure(self, client, admin_user):
        assert "Secure" in log_in(client).headers["Set-Cookie"]


class TestRateLimit:
    """Many login attempts from one address are refused for a while (429)."""

    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "ADMIN_LOGIN_RATE_LIMIT": "3/minute"}

    def test_login_posts_from_one_address_are_limited(self, client, admin_user):
        statuses = [log_in(client, email=f"guess{i}@studio.example").status_code for i in range(4)]
        assert statuses == [401, 401, 401, 429]
        assert log_in(client).status_code == 429  # even the right password, from this address


def test_create_admin_command_reads_the_password_from_stdin(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "ops@studio.example", "--password-stdin"],
                                          input="a long enough password\n")
    assert result.exit_code == 0, result.output
    assert "created admin ops@studio.example" in result.output
    assert authenticate("ops@studio.example", "a long enough password", datetime.now(timezone.utc),
                        address=HERE, max_delay=MAX_DELAY)


def test_create_admin_command_prompts_twice_and_refuses_a_short_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "ops@studio.example"], input="short\nshort\n")
    assert result.exit_code != 0 and "at least 10 characters" in result.output
    result = runner.invoke(args=["create-admin", "ops@studio.example"],
                           input="a long enough password\na long enough password\n")
    assert result.exit_code == 0 and find_admin("ops@studio.example") is not None
