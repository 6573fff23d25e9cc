"""The application factory: configuration, checks, then each part registered by its init_app."""
import logging
from pathlib import Path

from flask import Flask
from flask.logging import default_handler
from werkzeug.middleware.proxy_fix import ProxyFix

import config as app_config
from webapp import auth, database, request_settings
from webapp.extensions import csrf, db, limiter, migrate, oauth
from webapp.meetings import PROVIDERS
from webapp.meetings.oauth_tokens import TokenCipher
from webapp.scheduling import is_valid_zone

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The configuration cannot run the product safely."""


def create_app(config: dict | None = None) -> Flask:
    """Create the app: environment config, then `config` overrides, then named steps."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static",
                instance_path=str(ROOT / "instance"))
    app.config.from_mapping(app_config.from_env())
    if config:
        app.config.from_mapping(config)
    check_config(app)
    Path(app.instance_path).mkdir(exist_ok=True)
    init_extensions(app)
    init_security(app)
    init_templates(app)
    register_blueprints(app)
    register_commands(app)
    init_jobs(app)
    return app


def check_config(app: Flask) -> None:
    """Refuse settings that cannot work, before anything starts."""
    if app.config["ENV_NAME"] == "production" and app.config["SECRET_KEY"] in (
        app_config.DEV_SECRET_KEY, "", None
    ):
        raise ConfigError("SECRET_KEY must be set to a long random value in production.")
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


def init_extensions(app: Flask) -> None:
    """Bind the extensions to this app, with the engine listeners and the admin loader."""
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    auth.init_app(app)
    oauth.init_app(app)
    limiter.init_app(app)
    show_limiter_warnings()
    request_settings.init_app(app)


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
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:  # rate limits and Origin checks then see the client, not the proxy
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def init_templates(app: Flask) -> None:
    """Register the template filters, globals and error pages."""
    from webapp import errors, templating

    templating.register(app)
    errors.register(app)


def register_blueprints(app: Flask) -> None:
    """Mount the site's parts."""
    from webapp.admin import bp as admin_bp
    from webapp.api.routes import bp as api_bp
    from webapp.embed.routes import bp as embed_bp
    from webapp.integrations import bp as integrations_bp
    from webapp.manage.routes import bp as manage_bp
    from webapp.public.routes import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(integrations_bp)
    app.register_blueprint(embed_bp)


def init_jobs(app: Flask) -> None:
    """Hand outbox rows to RQ after commit, or to the in-process runner (no I/O here)."""
    from webapp import outbox

    outbox.init_app(app)


def register_commands(app: Flask) -> None:
    """Add the `flask` commands."""
    from webapp.cli import register

    register(app)
