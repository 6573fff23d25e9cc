"""Health (liveness: the process and its database answer) and readiness (fit to take traffic)."""
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from webapp.db_ping import ping
from webapp.extensions import db, limiter
from webapp.schema_version import migration_state
from webapp.version import VERSION


def _database_state() -> str:
    """Return "ok" when the database answers a trivial query (`db_ping`), else "unreachable"."""
    engine = db.engine
    try:
        ping(engine)
        return "ok"
    except (SQLAlchemyError, engine.dialect.loaded_dbapi.Error):
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


def _workers_state() -> str:
    """Return "in-process" without Redis, "ok" with a live worker, else "none" or "unreachable"."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "in-process"
    import redis

    from webapp.clock import now
    from webapp.heartbeats import worker_heartbeats

    try:
        heartbeats = worker_heartbeats(url)
    except (redis.RedisError, OSError):
        return "unreachable"
    return "ok" if any(beat.is_live(now()) for beat in heartbeats) else "none"


#: the states of each readiness check that let the process take traffic
READY_STATES = {"database": {"ok"}, "migrations": {"ok", "ahead"}, "queue": {"ok", "in-process"},
                "workers": {"ok", "in-process"}}


def readiness_report() -> tuple[dict, int]:
    """Return every readiness check, the failing ones listed, and 200 or 503."""
    checks = {"database": _database_state()}
    checks["migrations"] = migration_state() if checks["database"] == "ok" else "unknown"
    checks["queue"] = _queue_state()
    checks["workers"] = _workers_state() if checks["queue"] != "unreachable" else "unknown"
    failing = [name for name, state in checks.items() if state not in READY_STATES[name]]
    body = {"status": "not ready" if failing else "ready", "service": "booking", "version": VERSION,
            "checks": checks, "failing": failing}
    return body, 503 if failing else 200
