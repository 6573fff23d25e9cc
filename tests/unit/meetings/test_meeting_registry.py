"""The provider registry: build_provider, lookups, and the OAuth client settings read from config."""
import pytest

from webapp.meetings import (
    OAUTH_PROVIDERS,
    PROVIDER_KEYS,
    PROVIDER_NAMES,
    PROVIDERS,
    ProviderAuthError,
    build_provider,
    choice_label,
    provider_by_slug,
)
from webapp.meetings.oauth_clients import oauth_client_settings


@pytest.mark.parametrize("key", PROVIDER_KEYS)
def test_every_provider_builds_from_config_with_the_key_it_was_asked_for(key):
    config = {"WHEREBY_API_KEY": "k"}

    provider = build_provider(key, config, token_getter=lambda: "t")

    assert provider.key == key and PROVIDER_NAMES[key]


def test_base_urls_come_from_config():
    provider = build_provider("zoom", {"ZOOM_API_BASE_URL": "http://127.0.0.1:9/v2/"}, lambda: "t")

    assert provider.api.base_url == "http://127.0.0.1:9/v2"


@pytest.mark.parametrize("key", ["google_meet", "zoom", "teams"])
def test_an_oauth_provider_without_a_connected_account_needs_reconnecting(key):
    with pytest.raises(ProviderAuthError):
        build_provider(key, {})


def test_whereby_without_an_api_key_needs_configuring():
    with pytest.raises(ProviderAuthError):
        build_provider("whereby", {})


def test_an_unknown_provider_is_a_programming_error():
    with pytest.raises(ValueError):
        build_provider("skype", {})


def test_oauth_endpoints_default_to_the_provider_and_follow_config():
    config = {"ZOOM_CLIENT_ID": "id", "ZOOM_CLIENT_SECRET": "s", "ZOOM_TOKEN_URL": "http://stub/token"}

    zoom = oauth_client_settings("zoom", config)
    google = oauth_client_settings("google_meet", {})

    assert zoom.configured and zoom.token_url == "http://stub/token"
    assert zoom.auth_method == "client_secret_basic"
    assert not google.configured and google.token_url == "https://oauth2.googleapis.com/token"
    assert google.authorize_params["access_type"] == "offline"


def test_each_oauth_provider_is_found_by_its_connect_slug():
    slugs = {info.oauth.slug: info.key for info in PROVIDERS if info.oauth}

    assert slugs == {"google": "google_meet", "zoom": "zoom", "teams": "teams"}
    assert all(provider_by_slug(slug).key == key for slug, key in slugs.items())
    assert provider_by_slug("jitsi") is None


def test_only_microsoft_names_the_scopes_again_when_refreshing():
    sends_scope = {key for key in OAUTH_PROVIDERS if oauth_client_settings(key, {}).refresh_sends_scope}

    assert sends_scope == {"teams"}


def test_the_booking_form_labels_come_from_the_registry():
    assert choice_label("jitsi") == "Jitsi Meet (no account needed)"
    assert choice_label("teams") == "Microsoft Teams"
    assert choice_label("skype") == "skype"


def test_the_booking_model_allows_exactly_the_registered_providers():
    from webapp.models.booking import MEETING_PROVIDERS

    assert MEETING_PROVIDERS == PROVIDER_KEYS == tuple(info.key for info in PROVIDERS)
