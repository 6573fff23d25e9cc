"""The health check pings the database on a connection of its own (not the pool's, never in a
transaction), and answers the same in every language."""
import psycopg
import pytest

from tests.conftest import base_config
from tests.integration.api.conftest import API
from webapp import create_app
from webapp.extensions import db


def _app(tmp_path, database_url, **engine_options):
    """Return an app on `database_url` (no schema: the health check reads no table)."""
    return create_app({**base_config(tmp_path, database_url), "SQLALCHEMY_ENGINE_OPTIONS": engine_options})


def _health(app) -> tuple[int, str]:
    """Return the health check's status code and its database state."""
    response = app.test_client().get(f"{API}/health")
    return response.status_code, response.json["database"]


def test_a_process_whose_pool_is_exhausted_is_still_healthy(tmp_path, database_url):
    app = _app(tmp_path, database_url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    with app.app_context():
        held = db.engine.raw_connection()  # the pool's only connection, busy with a long request
        try:
            assert _health(app) == (200, "ok")
            assert _health(app) == (200, "ok")
        finally:
            held.close()
        db.engine.dispose()


def test_the_health_checks_answer_the_same_in_every_language(client):
    for path in ("/health", "/ready"):
        response = client.get(f"{API}{path}", headers={"Accept-Language": "it"})
        assert "Accept-Language" not in response.headers.get("Vary", "")  # /ready: 503 here, no migrations


def test_an_unreachable_postgresql_is_reported(tmp_path):
    app = _app(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/booking")
    assert _health(app) == (503, "unreachable")


def _backends(postgres_url: str) -> list[str]:
    """Return the states of the other sessions connected to the test database."""
    with psycopg.connect(postgres_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as own:
        rows = own.execute("SELECT state FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid()").fetchall()
    return [state for (state,) in rows]


def _terminate_backends(postgres_url: str) -> None:
    """End every other session on the test database, as a server restart would."""
    with psycopg.connect(postgres_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as own:
        own.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture
def pg_app(tmp_path, postgres_url):
    """An app on a fresh PostgreSQL database, its engine disposed after the test."""
    app = _app(tmp_path, postgres_url)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_the_ping_connection_holds_no_transaction_open(pg_app, postgres_url):
    assert _health(pg_app) == (200, "ok")
    assert _health(pg_app) == (200, "ok")
    assert _backends(postgres_url) == ["idle"]  # one connection, reused, outside any transaction


def test_after_the_server_drops_the_connection_the_next_check_reconnects(pg_app, postgres_url):
    assert _health(pg_app) == (200, "ok")
    _terminate_backends(postgres_url)
    assert _health(pg_app) == (200, "ok")
    assert _backends(postgres_url) == ["idle"]


def test_disposing_the_engine_closes_the_ping_connection(pg_app, postgres_url):
    assert _health(pg_app) == (200, "ok")
    with pg_app.app_context():
        db.engine.dispose()
    assert _backends(postgres_url) == []
