"""The application factory: configuration, checks, then each part registered by its init_app."""
import logging
from pathlib import Path

from flask import Flask
from flask.helpers import get_debug_flag
from flask.logging import default_handler
from werkzeug.middleware.proxy_fix import ProxyFix

import config as app_config
from webapp import audit, auth, database, i18n, request_guard, request_settings
from webapp.extensions import csrf, db, limiter, migrate, oauth
from webapp.meetings import PROVIDERS
from webapp.meetings.oauth_tokens import TokenCipher
from webapp.scheduling import is_valid_zone
from webapp.sessions import CookieSessionInterface

ROOT = Path(__file__).resolve().parent.parent


class BookingApp(Flask):
    """Flask, remembering which hooks and views are plain functions.

    Flask asks `inspect.iscoroutinefunction` about every hook and view on every request (~25
    calls here); the answer never changes for a function, so it is kept.
    """

    def __init__(self, *args, **kwargs):
        """Create the app with nothing known yet."""
        super().__init__(*args, **kwargs)
        self._sync_functions: set = set()

    def ensure_sync(self, func):
        """Return `func` when it is a plain function (remembered), else Flask's sync wrapper."""
        try:
            if func in self._sync_functions:
                return func
        except TypeError:  # an unhashable callable: ask every time, as Flask does
            return super().ensure_sync(func)
        ensured = super().ensure_sync(func)
        if ensured is func:
            self._sync_functions.add(func)
        return ensured


class ConfigError(RuntimeError):
    """The configuration cannot run the product safely."""


def create_app(config: dict | None = None) -> Flask:
    """Create the app: environment config, then `config` overrides, then named steps."""
    app = BookingApp(__name__, template_folder="../templates", static_folder="../static",
                     instance_path=str(ROOT / "instance"))
    app.config.from_mapping(app_config.from_env())
    if config:
        app.config.from_mapping(config)
    check_config(app)
    Path(app.instance_path).mkdir(exist_ok=True)
    init_transport(app)
    init_extensions(app)
    init_observability(app)
    init_security(app)
    init_templates(app)
    register_blueprints(app)
    register_commands(app)
    init_jobs(app)
    return app


def check_config(app: Flask) -> None:
    """Refuse settings that cannot work, before anything starts."""
    check_environment(app)
    if not is_valid_zone(app.config["BOOKING_TIMEZONE"]):
        raise ConfigError(f"BOOKING_TIMEZONE {app.config['BOOKING_TIMEZONE']!r} is not an IANA zone.")
    oauth_configured = any(app.config.get(f"{info.oauth.config_prefix}_CLIENT_ID")
                           for info in PROVIDERS if info.oauth)
    if app.config["ENV_NAME"] == "production" and oauth_configured and not app.config.get(
        "TOKEN_ENCRYPTION_KEYS"
    ):
        raise ConfigError("TOKEN_ENCRYPTION_KEYS must be set when an OAuth provider is configured.")
    if app.config.get("TOKEN_ENCRYPTION_KEYS"):
        try:
            TokenCipher.from_setting(app.config["TOKEN_ENCRYPTION_KEYS"])
        except ValueError:
            raise ConfigError("TOKEN_ENCRYPTION_KEYS must list Fernet keys (see README).") from None


def check_environment(app: Flask) -> None:
    """Know the environment by name (any case), and refuse a production that is not private.

    ENV_NAME is normalised in place, so every later `== "production"` check sees it.
    """
    env = str(app.config.get("ENV_NAME") or "").strip().lower()
    if env not in app_config.APP_ENVS:
        raise ConfigError(f"APP_ENV {app.config.get('ENV_NAME')!r} is unknown; use one of: "
                          f"{', '.join(app_config.APP_ENVS)}.")
    app.config["ENV_NAME"] = env
    if env != "production":
        return
    key = app.config.get("SECRET_KEY")
    if not isinstance(key, str) or len(key) < app_config.MIN_SECRET_KEY_LENGTH \
            or key.strip().lower() in app_config.WELL_KNOWN_SECRET_KEYS:
        raise ConfigError(f"SECRET_KEY must be a random value of at least "
                          f"{app_config.MIN_SECRET_KEY_LENGTH} characters in production, e.g. "
                          "python -c 'import secrets; print(secrets.token_urlsafe(48))'.")
    if app.debug or app.config.get("DEBUG") or get_debug_flag():
        raise ConfigError("Debug mode (FLASK_DEBUG, --debug) is refused in production: "
                          "its debugger runs code sent from the browser.")


def init_transport(app: Flask) -> None:
    """Compress text responses (registered first, so it runs after every other after_request hook)."""
    from webapp import compression

    compression.init_app(app)


def init_extensions(app: Flask) -> None:
    """Bind the extensions to this app, with the engine listeners and the admin loader."""
    from webapp.api.routes import SESSIONLESS_PREFIX

    app.session_interface = CookieSessionInterface(sessionless_prefixes=(SESSIONLESS_PREFIX,))
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    auth.init_app(app)
    oauth.init_app(app)
    limiter.init_app(app)
    show_limiter_warnings()
    request_settings.init_app(app)
    i18n.init_app(app)  # the visitor's language (Flask-Babel); after the settings it reads
    audit.init_app(app)  # after auth: a request's actor may be its logged-in admin


def init_observability(app: Flask) -> None:
    """Give requests an id, write logs without personal data, count requests for /metrics."""
    from webapp import logs, metrics

    logs.init_app(app)
    metrics.init_app(app)


def show_limiter_warnings() -> None:
    """Let Flask-Limiter's warnings reach the log (it installs only a NullHandler), so an
    operator sees "Rate limit storage unreachable - falling back to in-memory storage"."""
    logger = logging.getLogger("flask-limiter")
    if default_handler not in logger.handlers:
        logger.addHandler(default_handler)
        logger.setLevel(logging.INFO)


def init_security(app: Flask) -> None:
    """Send the security headers every response needs; trust only the configured proxies."""
    from webapp.security import apply_security_headers

    app.after_request(apply_security_headers)
    request_guard.init_app(app)  # NUL characters and ids past 64 bits: a 4xx, never a query
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:  # rate limits and Origin checks then see the client, not the proxy
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def init_templates(app: Flask) -> None:
    """Register the template filters, globals (versioned static URLs) and error pages."""
    from webapp import errors, fragment_cache, static_files, templating

    templating.register(app)
    fragment_cache.init_app(app)
    static_files.init_app(app)
    errors.register(app)


def register_blueprints(app: Flask) -> None:
    """Mount the site's parts."""
    from webapp.admin import bp as admin_bp
    from webapp.api.routes import bp as api_bp
    from webapp.embed.routes import bp as embed_bp
    from webapp.integrations import bp as integrations_bp
    from webapp.manage.routes import bp as manage_bp
    from webapp.public.routes import bp as public_bp
    from webapp.public.zones import bp as zones_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(integrations_bp)
    app.register_blueprint(embed_bp)
    app.register_blueprint(zones_bp)


def init_jobs(app: Flask) -> None:
    """Hand outbox rows to RQ after commit, or to the in-process runner (no I/O here)."""
    from webapp import outbox

    outbox.init_app(app)


def register_commands(app: Flask) -> None:
    """Add the `flask` commands."""
    from webapp.cli import register

    register(app)
