"""The health report: is the database reachable, and how are jobs queued."""
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.version import VERSION


def _database_state() -> str:
    """Return "ok" when a trivial query succeeds, else "unreachable"."""
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except SQLAlchemyError:
        db.session.rollback()
        return "unreachable"


def _queue_state() -> str:
    """Return "in-process" without Redis, else whether Redis answers a ping."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "in-process"
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping()
        return "ok"
    except (redis.RedisError, OSError):
        return "unreachable"


def health_report() -> tuple[dict, int]:
    """Return the seed's health body with database and queue state, and its HTTP status."""
    database, queue = _database_state(), _queue_state()
    status = "unhealthy" if database != "ok" else "degraded" if queue == "unreachable" else "healthy"
    body = {"status": status, "service": "booking", "version": VERSION,
            "database": database, "queue": queue}
    return body, 503 if database != "ok" else 200
