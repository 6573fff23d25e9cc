"""create_app(config) is the seam: configuration, start-up checks, security headers."""
import pytest
from flask import request

from webapp import ConfigError, create_app


def test_overrides_are_applied_last():
    app = create_app({"TESTING": True, "BUSINESS_NAME": "Studio Uno", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.testing and app.config["BUSINESS_NAME"] == "Studio Uno"


def test_production_refuses_the_development_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_starts_with_a_real_secret_key():
    app = create_app({"ENV_NAME": "production", "SECRET_KEY": "x" * 64,
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == "x" * 64


def test_unknown_business_zone_is_refused():
    with pytest.raises(ConfigError, match="BOOKING_TIMEZONE"):
        create_app({"BOOKING_TIMEZONE": "Europe/Atlantis", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_environment_configures_the_app(monkeypatch):
    monkeypatch.setenv("BOOKING_TIMEZONE", "America/New_York")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@db.example/booking")
    monkeypatch.setenv("BASE_URL", "https://book.example/")
    app = create_app()
    assert app.config["BOOKING_TIMEZONE"] == "America/New_York"
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert app.config["BASE_URL"] == "https://book.example"
    assert app.config["REDIS_URL"] is None


def test_bad_integer_in_the_environment_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("SMTP_PORT", "twenty-five")
    with pytest.raises(ValueError, match="SMTP_PORT"):
        create_app()


def test_client_address_comes_from_a_trusted_proxy_only():
    seen = []
    for proxies in (0, 1):
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                          "TRUSTED_PROXIES": proxies})
        app.add_url_rule("/whoami", "whoami", lambda: request.remote_addr)
        seen.append(app.test_client().get(
            "/whoami", headers={"X-Forwarded-For": "203.0.113.9"},
            environ_base={"REMOTE_ADDR": "10.0.0.2"}).text)
    assert seen == ["10.0.0.2", "203.0.113.9"]


def test_each_app_gets_the_sqlite_listeners_on_its_own_engine_once(tmp_path):
    from sqlalchemy import event

    from webapp import database
    from webapp.extensions import db

    apps = [create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/{n}.db"})
            for n in range(2)]
    database.init_app(apps[0])  # a second registration adds nothing
    for app in apps:
        with app.app_context():
            assert event.contains(db.engine, "begin", database._sqlite_on_begin)
            # the connect listener ran (foreign keys on, write-ahead log); a begin listener
            # registered twice would send BEGIN twice and SQLite would refuse the second
            assert db.session.execute(db.text("PRAGMA foreign_keys")).scalar() == 1
            assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
