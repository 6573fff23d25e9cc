"""Readiness: 200 only when the database, its migrations, Redis and a worker are all there."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text

from tests.conftest import base_config
from tests.ops.conftest import API, scrape, value
from tests.services import REDIS_URL, require
from webapp import create_app
from webapp.clock import now
from webapp.extensions import db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def app_config():
    """The real clock: RQ's heartbeats are real instants."""
    return {}


@pytest.fixture
def rq_worker(migrated):
    """A worker registered on the test Redis, which has just sent its heartbeat."""
    require(REDIS_URL, "Redis")
    from redis import Redis
    from rq import Worker

    connection = Redis.from_url(REDIS_URL)
    worker = Worker(["ops-test"], connection=connection, name=f"ops-test-{uuid.uuid4().hex[:8]}")
    worker.register_birth()
    worker.heartbeat()
    migrated.config["REDIS_URL"] = REDIS_URL
    yield worker
    worker.register_death()
    connection.delete(worker.key)


def ready(app):
    """GET the readiness check; return (status code, body)."""
    response = app.test_client().get(f"{API}/ready")
    return response.status_code, response.json


def test_a_migrated_database_without_redis_is_ready(migrated):
    status, body = ready(migrated)
    assert status == 200 and body["status"] == "ready" and body["failing"] == []
    assert body["checks"] == {"database": "ok", "migrations": "ok", "queue": "in-process",
                              "workers": "in-process"}


def test_a_database_not_migrated_to_head_is_not_ready(app):
    status, body = ready(app)  # create_all made the tables, but no migration was recorded
    assert status == 503 and body["failing"] == ["migrations"]
    assert body["checks"]["migrations"] == "behind"


def test_a_database_migrated_by_a_newer_release_stays_ready(migrated):
    db.session.execute(text("UPDATE alembic_version SET version_num = 'f00dfeedbeef'"))
    db.session.commit()
    status, body = ready(migrated)
    assert status == 200 and body["checks"]["migrations"] == "ahead"


def test_an_unreachable_database_is_not_ready(tmp_path):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'missing' / 'booking.db'}"))
    status, body = ready(app)
    assert status == 503 and body["checks"]["database"] == "unreachable"
    assert body["failing"] == ["database", "migrations"]


def test_an_unreachable_redis_is_not_ready(migrated):
    migrated.config["REDIS_URL"] = UNREACHABLE_REDIS
    status, body = ready(migrated)
    assert status == 503 and body["failing"] == ["queue", "workers"]
    assert body["checks"]["queue"] == "unreachable"


def test_redis_with_a_live_worker_is_ready(rq_worker, migrated):
    status, body = ready(migrated)
    assert status == 200 and body["checks"]["queue"] == "ok" and body["checks"]["workers"] == "ok"


def test_no_recent_heartbeat_is_not_ready(rq_worker, migrated):
    later = now() + timedelta(hours=1)  # every heartbeat on this Redis is then an hour old
    migrated.config["CLOCK"] = lambda: later
    status, body = ready(migrated)
    assert status == 503 and body["failing"] == ["workers"] and body["checks"]["workers"] == "none"


def test_worker_heartbeats_are_in_the_metrics(rq_worker, migrated):
    scraped = scrape(migrated.test_client())
    assert value(scraped, "booking_redis_up") == 1
    assert value(scraped, "booking_workers_live") >= 1
    beat = value(scraped, "booking_worker_last_heartbeat_timestamp_seconds", worker=rq_worker.name)
    assert abs(beat - now().timestamp()) < 60


def test_an_unreachable_redis_shows_in_the_metrics(migrated):
    migrated.config["REDIS_URL"] = UNREACHABLE_REDIS
    scraped = scrape(migrated.test_client())
    assert value(scraped, "booking_redis_up") == 0 and ("booking_workers_live", ()) not in scraped


def test_liveness_stays_cheap_and_ignores_migrations(app):
    assert app.test_client().get(f"{API}/health").status_code == 200

