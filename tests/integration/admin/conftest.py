"""Admin fixtures: an admin account and a client logged in as that admin."""
import pytest
from flask.testing import FlaskClient

from tests.conftest import csrf_from
from webapp.extensions import db
from webapp.services.admin_accounts import create_admin

ADMIN_EMAIL = "admin@studio.example"
ADMIN_PASSWORD = "correct horse battery"


class FreshContextClient(FlaskClient):
    """A test client whose every request runs in its own app context, as on a real server.

    The `app` fixture keeps one context pushed for the test; without this, `g` (the CSRF
    token, Flask-Login's user) and the database session would carry over between requests.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    """A test client whose requests do not share `g` or the session with each other."""
    app.test_client_class = FreshContextClient
    return app.test_client()


def reloaded(model, row_id: int):
    """Return the row as the database has it now (the test's session may hold an old view)."""
    db.session.rollback()
    return db.session.get(model, row_id)


@pytest.fixture
def admin_user(app):
    """An admin account with a known password."""
    admin, _created = create_admin(ADMIN_EMAIL, ADMIN_PASSWORD)
    return admin


def log_in(client, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD):
    """Log in through the form and return the response."""
    token = csrf_from(client.get("/admin/login").get_data(as_text=True))
    return client.post("/admin/login", data={"csrf_token": token, "email": email, "password": password})


@pytest.fixture
def admin_client(client, admin_user):
    """A test client with a logged-in admin session."""
    assert log_in(client).status_code == 303
    return client


def post_form(client, url: str, data: dict, page: str | None = None, **kwargs):
    """POST a form with the CSRF token taken from `page` (default: the admin dashboard)."""
    token = csrf_from(client.get(page or "/admin/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)
