"""The admin integrations page and the OAuth connect flow (test client + local OAuth server)."""
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.conftest import csrf_from
from tests.integration.integrations.support import integration
from webapp.services.admin_accounts import create_admin
from webapp.services.settings import enabled_providers

PASSWORD = "correct horse battery"


@pytest.fixture
def client(server_like_client):
    """The integration pages are tested like separate server requests."""
    return server_like_client


@pytest.fixture
def admin(client):
    """A test client logged in through the admin login form."""
    create_admin("owner@studio.example", PASSWORD)
    token = csrf_from(client.get("/admin/login").get_data(as_text=True))
    reply = client.post("/admin/login", data={"csrf_token": token, "email": "owner@studio.example",
                                              "password": PASSWORD})
    assert reply.status_code == 303
    return client


def page_token(client) -> str:
    """The CSRF token of the integrations page's forms."""
    return csrf_from(client.get("/admin/integrations").get_data(as_text=True))


def start_connect(client, slug: str):
    """Press Connect; return the authorisation URL we were sent to."""
    reply = client.post(f"/admin/integrations/{slug}/connect", data={"csrf_token": page_token(client)})
    assert reply.status_code == 302
    return reply.headers["Location"]


def authorize(url: str) -> str:
    """Let the stub authorisation server approve; return where it sends the browser back."""
    reply = requests.get(url, allow_redirects=False, timeout=5)
    assert reply.status_code == 302, reply.text
    return reply.headers["Location"]


def callback_path(location: str) -> str:
    """The path and query of a callback URL, for the test client."""
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


def test_the_page_needs_an_admin_login(client):
    reply = client.get("/admin/integrations")

    assert reply.status_code == 302 and "/admin/login" in reply.headers["Location"]
    assert client.get("/api/v1/integrations/google/callback?code=x&state=y").status_code == 302


def test_the_page_lists_every_provider_with_its_status(admin):
    html = admin.get("/admin/integrations").get_data(as_text=True)

    for name in ("Jitsi Meet", "Google Meet", "Zoom", "Microsoft Teams", "Whereby"):
        assert name in html
    assert "Connect Google Meet" in html and "API key set" in html


@pytest.mark.parametrize("slug,key", [("google", "google_meet"), ("zoom", "zoom"), ("teams", "teams")])
def test_connect_runs_the_code_flow_with_state_and_pkce_and_stores_the_tokens(admin, stubs, slug, key):
    oauth = stubs[key][1]
    url = start_connect(admin, slug)
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(f"{oauth.url}/authorize")
    assert query["code_challenge_method"] == ["S256"] and query["state"][0]
    assert query["redirect_uri"] == [f"http://localhost/api/v1/integrations/{slug}/callback"]
    if key == "google_meet":  # only then does Google hand out a refresh token
        assert query["access_type"] == ["offline"] and query["prompt"] == ["consent"]

    reply = admin.get(callback_path(authorize(url)))

    assert reply.status_code == 303
    row = integration(key)
    assert row.status == "connected" and row.access_token_enc and row.refresh_token_enc
    assert key in enabled_providers()
    assert "is connected" in admin.get("/admin/integrations").get_data(as_text=True)
    token_form = oauth.calls("POST")[0].form()
    assert token_form["grant_type"] == "authorization_code" and token_form["code_verifier"]


def test_a_callback_with_a_forged_state_connects_nothing(admin, stubs):
    url = start_connect(admin, "google")
    back = callback_path(authorize(url))
    forged = back.replace("state=", "state=forged")

    reply = admin.get(forged, follow_redirects=True)

    assert "was not connected" in reply.get_data(as_text=True)
    assert integration("google_meet") is None
    assert stubs["google_meet"][1].calls("POST") == []  # the code was never exchanged


def test_a_denied_authorisation_says_so_and_connects_nothing(admin, stubs):
    stubs["google_meet"][1].deny_next()
    url = start_connect(admin, "google")

    reply = admin.get(callback_path(authorize(url)), follow_redirects=True)

    assert "was not connected" in reply.get_data(as_text=True) and "access_denied" in reply.get_data(as_text=True)
    assert integration("google_meet") is None


def test_connect_needs_the_csrf_token(admin):
    assert admin.post("/admin/integrations/google/connect").status_code == 400


def test_an_unknown_provider_is_not_found(admin):
    assert admin.post("/admin/integrations/skype/connect",
                      data={"csrf_token": page_token(admin)}).status_code == 404


def test_disconnect_forgets_the_tokens_and_hides_the_provider_from_clients(admin, stubs):
    admin.get(callback_path(authorize(start_connect(admin, "zoom"))))
    assert "zoom" in enabled_providers()

    reply = admin.post("/admin/integrations/zoom/disconnect", data={"csrf_token": page_token(admin)})

    assert reply.status_code == 303
    row = integration("zoom")
    assert row.status == "disconnected" and row.access_token_enc is None and row.refresh_token_enc is None
    assert "zoom" not in enabled_providers()


@pytest.mark.parametrize("app_config", [{"GOOGLE_CLIENT_ID": "", "GOOGLE_CLIENT_SECRET": ""}])
def test_a_provider_without_client_credentials_cannot_be_connected(admin, app_config):
    reply = admin.post("/admin/integrations/google/connect", data={"csrf_token": page_token(admin)},
                       follow_redirects=True)

    assert "no client id and secret configured" in reply.get_data(as_text=True)
    assert "Connect Google Meet" not in reply.get_data(as_text=True)
