"""The OAuth client of a provider: its registry endpoints with the admin's config on top."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from webapp.meetings.oauth_tokens import AuthMethod
from webapp.meetings.registry import provider_info


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
    #: whether the refresh grant must name the scopes again
    refresh_sends_scope: bool = False

    @property
    def configured(self) -> bool:
        """Whether the admin has set this provider's client id and secret."""
        return bool(self.client_id and self.client_secret)


def oauth_client_settings(key: str, config: Mapping) -> OAuthClientSettings:
    """Read `<PREFIX>_CLIENT_ID/_CLIENT_SECRET/_REDIRECT_URI/_AUTHORIZE_URL/_TOKEN_URL/_SCOPE`.

    The prefix is the registry's `OAuthServer.config_prefix` (GOOGLE, ZOOM, MICROSOFT).
    """
    server = provider_info(key).oauth
    if server is None:
        raise ValueError(f"{key!r} does not use OAuth")
    prefix = server.config_prefix
    return OAuthClientSettings(
        client_id=config.get(f"{prefix}_CLIENT_ID"),
        client_secret=config.get(f"{prefix}_CLIENT_SECRET"),
        redirect_uri=config.get(f"{prefix}_REDIRECT_URI"),
        authorize_url=config.get(f"{prefix}_AUTHORIZE_URL") or server.authorize_url,
        token_url=config.get(f"{prefix}_TOKEN_URL") or server.token_url,
        scope=config.get(f"{prefix}_SCOPE") or server.scope,
        auth_method=server.auth_method,
        authorize_params=dict(server.authorize_params),
        refresh_sends_scope=server.refresh_sends_scope,
    )
