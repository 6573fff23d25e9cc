"""Configuration from the environment (and `.env`), with defaults for one laptop."""
import os
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent
load_dotenv(ROOT / ".env")

DEV_SECRET_KEY = "dev-only-insecure-secret-key"
#: the values APP_ENV may take (compared case-insensitively); anything else refuses to start
APP_ENVS = ("development", "test", "production")
#: SECRET_KEY values published somewhere (this code, its tests, common examples): never in production
WELL_KNOWN_SECRET_KEYS = frozenset({
    DEV_SECRET_KEY, "test-secret-key", "secret", "secret-key", "secretkey", "secret_key",
    "changeme", "change-me", "change_me", "please-change-me", "your-secret-key", "dev", "development",
})
#: the shortest SECRET_KEY production accepts
MIN_SECRET_KEY_LENGTH = 32


def _bool(name: str, default: bool = False) -> bool:
    """Read an environment flag such as 1/true/yes."""
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    """Read an integer from the environment, failing loudly on garbage."""
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None


def _list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


RATE_LIMITS = {
    "ADMIN_LOGIN_RATE_LIMIT": "10/minute;100/hour",
    "BOOKING_RATE_LIMIT": "20/minute;200/hour",  # booking posts: site, widget and API on one counter
    "BOOKING_PER_RECIPIENT_LIMIT": "5/hour;20/day",  # bookings made for one client email address
    "API_WRITE_RATE_LIMIT": "20/minute;200/hour",
    "API_READ_RATE_LIMIT": "120/minute",
    "MANAGE_LOOKUP_RATE_LIMIT": "30/minute;300/hour",  # manage pages opened by token
    "MANAGE_CHANGE_RATE_LIMIT": "10/minute;60/hour",
    "MANAGE_LOST_RATE_LIMIT": "5/minute;20/hour",
    "MANAGE_LOST_PER_ADDRESS_LIMIT": "3/hour",  # per email address asked about
}


def from_env() -> dict:
    """Return the app configuration read from the environment now."""
    return {
        "ENV_NAME": (os.environ.get("APP_ENV") or "development").strip().lower(),
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        #: derives manage links instead of SECRET_KEY when set (rotate one without the other)
        "MANAGE_TOKEN_KEY": os.environ.get("MANAGE_TOKEN_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'booking.db'}"
        ),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "BOOKING_TIMEZONE": os.environ.get("BOOKING_TIMEZONE", "Europe/Rome"),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "BUSINESS_NAME": os.environ.get("BUSINESS_NAME", "StudiocentOS"),
        "ADMIN_EMAIL": os.environ.get("ADMIN_EMAIL", ""),
        "FROM_EMAIL": os.environ.get("FROM_EMAIL", "noreply@studiocentos.it"),
        "FROM_NAME": os.environ.get("FROM_NAME", "StudiocentOS"),
        "SENDGRID_API_KEY": os.environ.get("SENDGRID_API_KEY", ""),
        "SENDGRID_API_BASE_URL": os.environ.get("SENDGRID_API_BASE_URL", "https://api.sendgrid.com"),
        "MAIL_SERVER": os.environ.get("SMTP_HOST") or os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int("SMTP_PORT", _int("MAIL_PORT", 587)),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", True),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_USERNAME": os.environ.get("SMTP_USER") or os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("SMTP_PASSWORD") or os.environ.get("MAIL_PASSWORD"),
        "REMINDER_OFFSETS_HOURS": [int(h) for h in _list("REMINDER_OFFSETS_HOURS", "24")],
        "EMBED_ALLOWED_ORIGINS": _list("EMBED_ALLOWED_ORIGINS"),
        "EMBED_FORM_TOKEN_MINUTES": _int("EMBED_FORM_TOKEN_MINUTES", 30),
        "API_CORS_ORIGINS": _list("API_CORS_ORIGINS"),
        "DEFAULT_MEETING_PROVIDER": os.environ.get("DEFAULT_MEETING_PROVIDER", "jitsi"),
        "JITSI_BASE_URL": os.environ.get("JITSI_BASE_URL", "https://meet.jit.si"),
        "GOOGLE_CLIENT_ID": os.environ.get("GOOGLE_CLIENT_ID", ""),
        "GOOGLE_CLIENT_SECRET": os.environ.get("GOOGLE_CLIENT_SECRET", ""),
        "GOOGLE_REDIRECT_URI": os.environ.get("GOOGLE_REDIRECT_URI", ""),
        "ZOOM_CLIENT_ID": os.environ.get("ZOOM_CLIENT_ID", ""),
        "ZOOM_CLIENT_SECRET": os.environ.get("ZOOM_CLIENT_SECRET", ""),
        "ZOOM_REDIRECT_URI": os.environ.get("ZOOM_REDIRECT_URI", ""),
        "MICROSOFT_CLIENT_ID": os.environ.get("MICROSOFT_CLIENT_ID", ""),
        "MICROSOFT_CLIENT_SECRET": os.environ.get("MICROSOFT_CLIENT_SECRET", ""),
        "MICROSOFT_REDIRECT_URI": os.environ.get("MICROSOFT_REDIRECT_URI", ""),
        # OAuth endpoint and API overrides (empty: the provider's real URLs; tests use stubs)
        **{f"{prefix}_{part}": os.environ.get(f"{prefix}_{part}", "")
           for prefix in ("GOOGLE", "ZOOM", "MICROSOFT")
           for part in ("AUTHORIZE_URL", "TOKEN_URL", "SCOPE")},
        **{name: os.environ.get(name, "") for name in (
            "GOOGLE_API_BASE_URL", "ZOOM_API_BASE_URL", "GRAPH_API_BASE_URL", "WHEREBY_API_BASE_URL")},
        "WHEREBY_API_KEY": os.environ.get("WHEREBY_API_KEY", ""),
        #: Fernet keys for stored OAuth tokens, newest first (comma separated)
        "TOKEN_ENCRYPTION_KEYS": os.environ.get("TOKEN_ENCRYPTION_KEYS", ""),
        #: attempts at the chosen provider before a meeting falls back to Jitsi
        "MEETING_ATTEMPTS": _int("MEETING_ATTEMPTS", 3),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI")
        or os.environ.get("REDIS_URL")
        or "memory://",
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        # Redis down must not refuse bookings: limits fall back to this process's memory
        # (logged, and shown as degraded in /health) and return to Redis when it answers
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_IN_MEMORY_FALLBACK": os.environ.get("RATELIMIT_IN_MEMORY_FALLBACK",
                                                       "60/minute"),
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        #: reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0 = none)
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        # Rate limits (Flask-Limiter syntax), per client address unless said otherwise
        **{name: os.environ.get(name, default) for name, default in RATE_LIMITS.items()},
        #: the longest wait failed logins impose on one address (delays double up to it)
        "ADMIN_LOGIN_MAX_DELAY_MINUTES": _int("ADMIN_LOGIN_MAX_DELAY_MINUTES", 15),
        #: an admin session ends after this long without a request ...
        "ADMIN_SESSION_IDLE_MINUTES": _int("ADMIN_SESSION_IDLE_MINUTES", 120),
        #: ... and this long after its login, whatever happens
        "ADMIN_SESSION_MAX_HOURS": _int("ADMIN_SESSION_MAX_HOURS", 12),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "MAIL_DIR": os.environ.get("MAIL_DIR", str(ROOT / "instance" / "mail")),
        "RQ_QUEUE": os.environ.get("RQ_QUEUE", "booking"),
        "SWEEP_INTERVAL_SECONDS": _int("SWEEP_INTERVAL_SECONDS", 60),
        "OUTBOX_MAX_ATTEMPTS": _int("OUTBOX_MAX_ATTEMPTS", 8),
        "OUTBOX_RETRY_BASE_SECONDS": _int("OUTBOX_RETRY_BASE_SECONDS", 60),
        #: a claimed row not recorded within this many seconds (its worker died) is claimed again
        "OUTBOX_LEASE_SECONDS": _int("OUTBOX_LEASE_SECONDS", 60),
        #: first wait after a transport-level failure (server unreachable), doubled up to the max;
        #: such failures wait for the shared dependency and never make a row fail
        "OUTBOX_OUTAGE_RETRY_SECONDS": _int("OUTBOX_OUTAGE_RETRY_SECONDS", 5),
        "OUTBOX_OUTAGE_MAX_SECONDS": _int("OUTBOX_OUTAGE_MAX_SECONDS", 30),
        #: threads of worker.py that run meeting steps, so a slow provider holds no email
        "OUTBOX_MEETING_THREADS": _int("OUTBOX_MEETING_THREADS", 0),
        #: (connect, read) seconds for meeting provider calls
        "MEETING_CONNECT_TIMEOUT": _int("MEETING_CONNECT_TIMEOUT", 3),
        "MEETING_READ_TIMEOUT": _int("MEETING_READ_TIMEOUT", 8),
        #: seconds a client is asked to wait (Retry-After) while the database is unreachable
        "UNAVAILABLE_RETRY_AFTER": _int("UNAVAILABLE_RETRY_AFTER", 30),
        #: let webhooks go to loopback, link-local and private addresses in production too
        "WEBHOOK_ALLOW_PRIVATE": _bool("WEBHOOK_ALLOW_PRIVATE", False),
        #: days the audit log keeps an entry (pruned by the periodic sweep)
        "AUDIT_RETENTION_DAYS": _int("AUDIT_RETENTION_DAYS", 730),
        #: seconds between two reads of each outside calendar (the worker's sweep reads them)
        "CALENDAR_REFRESH_SECONDS": _int("CALENDAR_REFRESH_SECONDS", 300),
        #: seconds an outside calendar may take to answer one request
        "CALENDAR_TIMEOUT_SECONDS": _int("CALENDAR_TIMEOUT_SECONDS", 15),
        #: the dashboard warns about a calendar failing for longer (its last busy times still apply)
        "CALENDAR_STALE_AFTER_MINUTES": _int("CALENDAR_STALE_AFTER_MINUTES", 60),
    }
