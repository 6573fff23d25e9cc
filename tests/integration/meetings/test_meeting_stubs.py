"""The stubs themselves: they catch deviations and run the OAuth code flow with PKCE."""
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from tests.stubs import OAuthStub, ZoomStub

REDIRECT = "http://127.0.0.1:5000/admin/integrations/zoom/callback"


@pytest.fixture
def oauth_server():
    with OAuthStub(auth_method="client_secret_basic", redirect_uris={REDIRECT}) as stub:
        yield stub


def _authorize(stub, session, verifier):
    url, state = session.create_authorization_url(f"{stub.url}/authorize", code_verifier=verifier)
    answer = requests.get(url, allow_redirects=False, timeout=5)
    return answer, state


def test_a_request_without_bearer_token_is_recorded_as_a_violation():
    with ZoomStub() as stub:
        answer = requests.post(f"{stub.url}/users/me/meetings", json={"topic": "x"}, timeout=5)

    assert answer.status_code == 400
    assert "Authorization" in stub.violations[0]


def test_a_malformed_start_time_is_recorded_as_a_violation():
    body = {"topic": "x", "type": 2, "start_time": "2030-01-01 10:00", "duration": 30}
    with ZoomStub() as stub:
        requests.post(f"{stub.url}/users/me/meetings", json=body, timeout=5,
                      headers={"Authorization": "Bearer zoom-access-token"})

    assert "start_time" in stub.violations[0]
    with pytest.raises(AssertionError):
        stub.assert_clean()


def test_authorization_code_flow_with_pkce_issues_tokens(oauth_server):
    session = OAuth2Session("stub-client", "stub-secret", redirect_uri=REDIRECT,
                            code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic")
    verifier = generate_token(48)

    answer, state = _authorize(oauth_server, session, verifier)
    token = session.fetch_token(f"{oauth_server.url}/token", authorization_response=answer.headers["Location"],
                                state=state, code_verifier=verifier)

    assert answer.status_code == 302 and answer.headers["Location"].startswith(REDIRECT)
    assert token["access_token"] in oauth_server.access_tokens and token["refresh_token"]
    oauth_server.assert_clean()


def test_a_wrong_code_verifier_is_refused(oauth_server):
    session = OAuth2Session("stub-client", "stub-secret", redirect_uri=REDIRECT,
                            code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic")
    answer, _ = _authorize(oauth_server, session, generate_token(48))
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]

    refused = requests.post(f"{oauth_server.url}/token", auth=("stub-client", "stub-secret"), timeout=5,
                            data={"grant_type": "authorization_code", "code": code,
                                  "redirect_uri": REDIRECT, "code_verifier": generate_token(48)})

    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"


def test_a_denied_authorisation_redirects_back_with_the_error_and_state(oauth_server):
    oauth_server.deny_next()
    session = OAuth2Session("stub-client", redirect_uri=REDIRECT, code_challenge_method="S256")

    answer, state = _authorize(oauth_server, session, generate_token(48))

    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query == {"error": ["access_denied"], "state": [state]}
