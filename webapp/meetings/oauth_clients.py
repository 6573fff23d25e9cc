"""Where each OAuth provider authorises and issues tokens, with config overrides for tests."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from webapp.meetings.oauth_tokens import AuthMethod


@dataclass(frozen=True)
class OAuthClientSettings:
    """What the connect flow and the refresh job need to talk to one provider's OAuth server."""

    client_id: str | None
    client_secret: str | None
    redirect_uri: str | None
    authorize_url: str
    token_url: str
    scope: str
    auth_method: AuthMethod
    #: extra query parameters for the authorisation request
    authorize_params: dict = field(default_factory=dict)

    @property
    def configured(self) -> bool:
        """Whether the admin has set this provider's client id and secret."""
        return bool(self.client_id and self.client_secret)


# key: (config prefix, authorize URL, token URL, scope, client auth, extra authorize params)
_DEFAULTS = {
    "google_meet": (
        "GOOGLE",
        "https://accounts.google.com/o/oauth2/v2/auth",
        "https://oauth2.googleapis.com/token",
        "https://www.googleapis.com/auth/calendar.events",
        "client_secret_post",
        # offline + consent: Google only returns a refresh token when asked this way
        {"access_type": "offline", "prompt": "consent"},
    ),
    "zoom": (
        "ZOOM",
        "https://zoom.us/oauth/authorize",
        "https://zoom.us/oauth/token",
        "meeting:write meeting:read",
        "client_secret_basic",
        {},
    ),
    "teams": (
        "MICROSOFT",
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
        "https://login.microsoftonline.com/common/oauth2/v2.0/token",
        "offline_access OnlineMeetings.ReadWrite User.Read",
        "client_secret_post",
        {},
    ),
}


def oauth_client_settings(key: str, config: Mapping) -> OAuthClientSettings:
    """Read `<PREFIX>_CLIENT_ID/_CLIENT_SECRET/_REDIRECT_URI/_AUTHORIZE_URL/_TOKEN_URL/_SCOPE`.

    Prefixes: GOOGLE (google_meet), ZOOM (zoom), MICROSOFT (teams).
    """
    if key not in _DEFAULTS:
        raise ValueError(f"{key!r} does not use OAuth")
    prefix, authorize_url, token_url, scope, auth_method, params = _DEFAULTS[key]
    return OAuthClientSettings(
        client_id=config.get(f"{prefix}_CLIENT_ID"),
        client_secret=config.get(f"{prefix}_CLIENT_SECRET"),
        redirect_uri=config.get(f"{prefix}_REDIRECT_URI"),
        authorize_url=config.get(f"{prefix}_AUTHORIZE_URL") or authorize_url,
        token_url=config.get(f"{prefix}_TOKEN_URL") or token_url,
        scope=config.get(f"{prefix}_SCOPE") or scope,
        auth_method=auth_method,
        authorize_params=dict(params),
    )
