"""Refreshing access tokens against the stub token endpoints."""
import pytest

from webapp.meetings import ProviderAuthError, ProviderError, build_provider
from webapp.meetings.oauth_tokens import refresh_access_token


def _refresh(stub, refresh_token, method):
    return refresh_access_token(f"{stub.url}/token", "stub-client", "stub-secret",
                                refresh_token, method)


def test_zoom_refresh_uses_basic_auth_and_returns_the_rotated_refresh_token(zoom_oauth_stub):
    old = zoom_oauth_stub.issue_refresh_token("meeting:write meeting:read")

    token = _refresh(zoom_oauth_stub, old, "client_secret_basic")

    assert token["refresh_token"] != old
    assert token["refresh_token"] in zoom_oauth_stub.refresh_tokens
    assert zoom_oauth_stub.calls("POST")[0].header("authorization").startswith("Basic ")


def test_zoom_refresh_token_works_only_once(zoom_oauth_stub):
    old = zoom_oauth_stub.issue_refresh_token()
    _refresh(zoom_oauth_stub, old, "client_secret_basic")

    with pytest.raises(ProviderAuthError):
        _refresh(zoom_oauth_stub, old, "client_secret_basic")


def test_a_refreshed_zoom_token_creates_meetings(zoom_oauth_stub, zoom_stub, make_request):
    token = _refresh(zoom_oauth_stub, zoom_oauth_stub.issue_refresh_token(), "client_secret_basic")
    zoom = build_provider("zoom", {"ZOOM_API_BASE_URL": zoom_stub.url}, lambda: token["access_token"])

    assert zoom.create(make_request()).url


def test_google_refresh_sends_the_secret_in_the_body_and_keeps_the_refresh_token(google_oauth_stub):
    old = google_oauth_stub.issue_refresh_token()

    token = _refresh(google_oauth_stub, old, "client_secret_post")

    assert token["refresh_token"] == old and token["access_token"]
    assert google_oauth_stub.calls("POST")[0].form()["client_secret"] == "stub-secret"


def test_a_revoked_grant_asks_for_reconnection(google_oauth_stub):
    old = google_oauth_stub.issue_refresh_token()
    google_oauth_stub.revoke(old)

    with pytest.raises(ProviderAuthError):
        _refresh(google_oauth_stub, old, "client_secret_post")


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_token_endpoint_outage_is_retryable(google_oauth_stub, status):
    google_oauth_stub.fail_next(status, retry_after=5)

    with pytest.raises(ProviderError) as err:
        _refresh(google_oauth_stub, google_oauth_stub.issue_refresh_token(), "client_secret_post")

    assert err.value.retryable and not isinstance(err.value, ProviderAuthError)


def test_wrong_client_credentials_are_not_retried(google_oauth_stub):
    with pytest.raises(ProviderError) as err:
        refresh_access_token(f"{google_oauth_stub.url}/token", "stub-client", "wrong",
                             google_oauth_stub.issue_refresh_token(), "client_secret_post")

    assert not err.value.retryable
