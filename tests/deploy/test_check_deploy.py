"""`flask check-deploy`: every unsafe or missing production setting, reported in one run."""
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

import config as settings
from tests.deploy.tools import ROOT, clean_environment
from webapp.cli import check_deploy_command
from webapp.deploy_checks import ERROR, WARNING, check_deploy, has_errors, render

GOOD = {
    "ENV_NAME": "production",
    "SECRET_KEY": "k" * 48,
    "BOOKING_TIMEZONE": "Europe/Rome",
    "BASE_URL": "https://booking.example.com",
    "SESSION_COOKIE_SECURE": True,
    "TRUSTED_PROXIES": 1,
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://booking@db/booking",
    "REDIS_URL": "redis://redis:6379/0",
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "redis://redis:6379/0",
    "MAIL_SERVER": "smtp.example.com",
    "MAIL_USERNAME": "booking@example.com",
    "MAIL_USE_TLS": True,
    "FROM_EMAIL": "booking@example.com",
    "ADMIN_EMAIL": "owner@example.com",
    "JITSI_BASE_URL": "https://meet.jit.si",
    "EMBED_ALLOWED_ORIGINS": ["https://www.partner.example"],
}


def levels(config: dict, **kwargs) -> dict[str, str]:
    """Return {setting: level} of the findings about `config`."""
    return {f.setting: f.level for f in check_deploy(config, **kwargs)}


def test_a_good_production_configuration_has_no_finding():
    assert check_deploy(GOOD, web_processes=4) == []
    assert render([]) == "ready for production"


def test_the_laptop_defaults_are_reported_all_at_once():
    """The configuration `make run` uses: every problem in one run, errors first."""
    findings = check_deploy(settings.from_env() | {
        "ENV_NAME": "development", "SECRET_KEY": settings.DEV_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": "sqlite:///instance/booking.db", "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://", "BASE_URL": "http://127.0.0.1:5000",
        "SESSION_COOKIE_SECURE": False, "TRUSTED_PROXIES": 0, "MAIL_SERVER": "",
        "SENDGRID_API_KEY": "", "FROM_EMAIL": "noreply@studiocentos.it", "ADMIN_EMAIL": "",
        "GOOGLE_CLIENT_ID": "", "ZOOM_CLIENT_ID": "", "MICROSOFT_CLIENT_ID": ""}, web_processes=3)
    assert {f.setting: f.level for f in findings} == {
        "APP_ENV": ERROR, "SECRET_KEY": ERROR, "BASE_URL": ERROR, "SESSION_COOKIE_SECURE": ERROR,
        "SMTP_HOST": ERROR, "TRUSTED_PROXIES": WARNING, "DATABASE_URL": WARNING,
        "REDIS_URL": WARNING, "RATELIMIT_STORAGE_URI": WARNING, "FROM_EMAIL": WARNING,
        "ADMIN_EMAIL": WARNING}
    assert [f.level for f in findings] == sorted((f.level for f in findings), key=lambda x: x != ERROR)
    assert has_errors(findings)
    assert render(findings).splitlines()[-1] == "5 error(s), 6 warning(s)"


@pytest.mark.parametrize(("change", "setting", "level"), [
    ({"SECRET_KEY": "short-key"}, "SECRET_KEY", ERROR),
    ({"SECRET_KEY": ""}, "SECRET_KEY", ERROR),
    ({"MANAGE_TOKEN_KEY": "short"}, "MANAGE_TOKEN_KEY", ERROR),
    ({"ENV_NAME": "staging"}, "APP_ENV", ERROR),
    ({"DEBUG": True}, "FLASK_DEBUG", ERROR),
    ({"BOOKING_TIMEZONE": "Mars/Olympus"}, "BOOKING_TIMEZONE", ERROR),
    ({"BASE_URL": "http://booking.example.com"}, "BASE_URL", ERROR),
    ({"BASE_URL": "https://localhost"}, "BASE_URL", ERROR),
    ({"SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE", ERROR),
    ({"TRUSTED_PROXIES": 0}, "TRUSTED_PROXIES", WARNING),
    ({"SQLALCHEMY_DATABASE_URI": "sqlite:////var/lib/booking/booking.db"}, "DATABASE_URL", WARNING),
    ({"REDIS_URL": None}, "REDIS_URL", WARNING),
    ({"RATELIMIT_STORAGE_URI": "memory://"}, "RATELIMIT_STORAGE_URI", WARNING),
    ({"RATELIMIT_ENABLED": False}, "RATELIMIT_ENABLED", WARNING),
    ({"MAIL_SERVER": ""}, "SMTP_HOST", ERROR),
    ({"MAIL_USE_TLS": False}, "MAIL_USE_TLS", ERROR),
    ({"FROM_EMAIL": "noreply@studiocentos.it"}, "FROM_EMAIL", WARNING),
    ({"ADMIN_EMAIL": ""}, "ADMIN_EMAIL", WARNING),
    ({"GOOGLE_CLIENT_ID": "id", "GOOGLE_CLIENT_SECRET": "secret"}, "TOKEN_ENCRYPTION_KEYS", ERROR),
    ({"TOKEN_ENCRYPTION_KEYS": "not-a-fernet-key"}, "TOKEN_ENCRYPTION_KEYS", ERROR),
    ({"ZOOM_CLIENT_ID": "id", "TOKEN_ENCRYPTION_KEYS": Fernet.generate_key().decode()},
     "ZOOM_CLIENT_SECRET", ERROR),
    ({"JITSI_BASE_URL": "http://jitsi.internal"}, "JITSI_BASE_URL", WARNING),
    ({"EMBED_ALLOWED_ORIGINS": ["http://partner.example"]}, "EMBED_ALLOWED_ORIGINS", WARNING),
])
def test_each_unsafe_setting_is_named_with_its_level(change, setting, level):
    assert levels(GOOD | change, web_processes=4) == {setting: level}


def test_single_process_needs_neither_redis_nor_shared_limits():
    assert levels(GOOD | {"REDIS_URL": None, "RATELIMIT_STORAGE_URI": "memory://"},
                  web_processes=1) == {}


def test_oauth_with_keys_and_https_callbacks_is_fine_but_an_http_callback_is_not():
    oauth = {"MICROSOFT_CLIENT_ID": "id", "MICROSOFT_CLIENT_SECRET": "secret",
             "TOKEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
             "MICROSOFT_REDIRECT_URI": "https://booking.example.com/api/v1/integrations/teams/callback"}
    assert levels(GOOD | oauth) == {}
    http = oauth | {"MICROSOFT_REDIRECT_URI": "http://booking.example.com/callback"}
    assert levels(GOOD | http) == {"MICROSOFT_REDIRECT_URI": ERROR}


def test_manage_token_key_is_read_from_the_environment(monkeypatch):
    """MANAGE_TOKEN_KEY reaches the app, so manage links can be rotated apart from SECRET_KEY."""
    monkeypatch.setenv("MANAGE_TOKEN_KEY", "m" * 40)
    assert settings.from_env()["MANAGE_TOKEN_KEY"] == "m" * 40
    monkeypatch.delenv("MANAGE_TOKEN_KEY")
    assert settings.from_env()["MANAGE_TOKEN_KEY"] is None


@pytest.fixture
def app_config():
    """The app under test: a production-like configuration with one unsafe setting."""
    return {key: value for key, value in GOOD.items() if key != "SQLALCHEMY_DATABASE_URI"} | {
        "SESSION_COOKIE_SECURE": False}


def test_the_command_prints_every_finding_and_fails_on_errors(app, monkeypatch):
    monkeypatch.delenv("MANAGE_TOKEN_KEY", raising=False)
    result = app.test_cli_runner().invoke(check_deploy_command, ["--web-processes", "1"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        ("error    SESSION_COOKIE_SECURE: is false: the admin session cookie may be sent over"
         " plain HTTP; set it to true"),
        ("warning  DATABASE_URL: is SQLite: fine on one host (back it up with `.backup`), but"
         " several hosts need PostgreSQL"),
        "1 error(s), 1 warning(s)"]


def test_the_command_passes_with_warnings_only(app, monkeypatch):
    monkeypatch.delenv("MANAGE_TOKEN_KEY", raising=False)
    app.config["SESSION_COOKIE_SECURE"] = True
    result = app.test_cli_runner().invoke(args=["check-deploy", "--web-processes", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "0 error(s), 1 warning(s)"


def test_the_module_reports_even_when_the_app_refuses_to_start(tmp_path):
    """APP_ENV=production with the default key: create_app refuses, the module still reports."""
    environment = clean_environment(APP_ENV="production", SECRET_KEY=settings.DEV_SECRET_KEY,
                                    DATABASE_URL=f"sqlite:///{tmp_path / 'booking.db'}")
    result = subprocess.run([sys.executable, "-m", "webapp.deploy_checks"], cwd=ROOT, check=False,
                            env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "error    SECRET_KEY: is the development default" in result.stdout
    assert "APP_ENV" not in result.stdout  # it is production
