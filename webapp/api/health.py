"""The health report: is the database reachable, how are jobs queued, where are rate limits kept."""
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db, limiter
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


def _rate_limit_state() -> str:
    """Return "in-process" for memory storage, "ok" when the shared storage answers, else
    "fallback" (limits are kept per process until it answers again; Flask-Limiter logs it)."""
    if current_app.config.get("RATELIMIT_STORAGE_URI", "memory://").startswith("memory://"):
        return "in-process"
    try:
        return "ok" if limiter.storage.check() else "fallback"
    except Exception:  # a storage that raises instead of answering False is just as down
        return "fallback"


def health_report() -> tuple[dict, int]:
    """Return the seed's health body with database, queue and rate-limit state, and its status."""
    database, queue, rate_limits = _database_state(), _queue_state(), _rate_limit_state()
    degraded = queue == "unreachable" or rate_limits == "fallback"
    status = "unhealthy" if database != "ok" else "degraded" if degraded else "healthy"
    body = {"status": status, "service": "booking", "version": VERSION,
            "database": database, "queue": queue, "rate_limits": rate_limits}
    return body, 503 if database != "ok" else 200
