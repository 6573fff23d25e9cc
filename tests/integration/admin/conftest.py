"""Admin fixtures: an admin account and a client logged in as that admin."""
import pytest

from tests.conftest import csrf_from
from webapp.extensions import db
from webapp.services.admin_accounts import create_admin

ADMIN_EMAIL = "admin@studio.example"
ADMIN_PASSWORD = "correct horse battery"


@pytest.fixture
def client(server_like_client):
    """Admin pages are tested with requests that behave like separate server requests."""
    return server_like_client


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
