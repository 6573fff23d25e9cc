"""Shared fixtures: an app on a fresh database, clients, a live server, the browser."""
import re
import shutil
import threading
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from tests.integration.notifications.support import Mailbox
from tests.services import fresh_postgres_database
from webapp import create_app
from webapp.extensions import db
from webapp.services.defaults import load_defaults


def base_config(tmp_path, database_url: str) -> dict:
    """Return the configuration every test app starts from."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": None,
        "RATELIMIT_ENABLED": False,
        "BASE_URL": "http://localhost",
        "MAIL_SERVER": "",
        "SENDGRID_API_KEY": "",
        "MAIL_DIR": str(tmp_path / "mail"),
        "BOOKING_TIMEZONE": "Europe/Rome",
        "ADMIN_EMAIL": "owner@studio.example",
    }


@contextmanager
def serving(app, port: int = 0):
    """Serve `app` on loopback `port` (0: any free one) in a thread; yield the server, stop it after."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture
def app_config() -> dict:
    """Per-test overrides of the app configuration (override this fixture in a module)."""
    return {}


@pytest.fixture
def mailbox():
    """A real SMTP server on loopback, started."""
    box = Mailbox().start()
    yield box
    box.stop()


@pytest.fixture
def database_url(tmp_path) -> str:
    """A file SQLite database per test (a file, so threads share it)."""
    return f"sqlite:///{tmp_path / 'booking.db'}"


def _make_app(tmp_path, database_url, overrides):
    """Create an app with its schema and the default services and availability."""
    app = create_app({**base_config(tmp_path, database_url), **overrides})
    with app.app_context():
        db.create_all()
        load_defaults()
    return app


@pytest.fixture
def app(tmp_path, database_url, app_config):
    """An app on an empty database with the default services, context pushed."""
    app = _make_app(tmp_path, database_url, app_config)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def empty_app(tmp_path, database_url, app_config):
    """An app whose database has the schema and nothing else, context pushed."""
    app = create_app({**base_config(tmp_path, database_url), **app_config})
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database URL (skips, or fails in CI, without PostgreSQL)."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def client(app):
    """A test client of `app`."""
    return app.test_client()


class FreshContextClient(FlaskClient):
    """A test client whose every request runs in its own app context, as on a real server.

    The `app` fixture keeps one context pushed for the test; without this, `g` (the CSRF
    token, Flask-Login's user) and the database session would carry over between requests.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def server_like_client(app):
    """A test client whose requests share neither `g` nor the database session."""
    app.test_client_class = FreshContextClient
    return app.test_client()


CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    """Return the CSRF token embedded in a rendered form."""
    match = CSRF_INPUT.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


@pytest.fixture
def live_server(app):
    """Serve `app` on an ephemeral loopback port for the browser; yields its base URL."""
    with serving(app) as server:
        yield f"http://127.0.0.1:{server.server_port}"


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Use the system Chromium when there is one (Playwright's own download otherwise)."""
    system = shutil.which("chromium")
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    return {**args, "executable_path": system} if system else args
