"""Fixtures the browser stories share."""
import pytest

from tests.e2e.steps import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.integration.mail.support import free_port
from webapp.services.admin_accounts import create_admin


@pytest.fixture
def app_port() -> int:
    """The port the booking site will listen on (known before the app is made)."""
    return free_port()


@pytest.fixture
def admin(app):
    """An admin account with a known password (log in with `steps.log_in_admin`)."""
    return create_admin(ADMIN_EMAIL, ADMIN_PASSWORD)[0]


@pytest.fixture
def site(app, live_server):
    """The live site, its links in emails pointing at itself; stops the in-process job thread after."""
    app.config["BASE_URL"] = live_server
    yield live_server
    from webapp import outbox

    outbox.runner(app).stop()
