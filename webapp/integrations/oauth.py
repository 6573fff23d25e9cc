"""Authlib clients for the connect flow, built from the current app's configuration."""
from urllib.parse import urlsplit

from authlib.integrations.flask_client import FlaskOAuth2App
from flask import current_app, url_for

from webapp.extensions import oauth
from webapp.meetings import OAUTH_PROVIDERS, provider_info
from webapp.meetings.oauth_clients import oauth_client_settings
from webapp.security import CSP


def oauth_client(key: str) -> FlaskOAuth2App:
    """Register (again) and return the Authlib client of provider `key`, with PKCE S256."""
    settings = oauth_client_settings(key, current_app.config)
    # Authlib caches clients by name for the process; config may differ per app (tests).
    oauth._clients.pop(key, None)
    return oauth.register(
        key,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        authorize_url=settings.authorize_url,
        access_token_url=settings.token_url,
        authorize_params=settings.authorize_params,
        client_kwargs={"scope": settings.scope, "code_challenge_method": "S256",
                       "token_endpoint_auth_method": settings.auth_method},
    )


def redirect_uri(key: str) -> str:
    """Return the configured redirect URI, else this server's callback URL."""
    configured = oauth_client_settings(key, current_app.config).redirect_uri
    slug = provider_info(key).oauth.slug
    return configured or url_for("integrations.callback", slug=slug, _external=True)


def connect_policy() -> str:
    """The page's CSP, letting its Connect forms redirect to the providers' authorisation servers.

    Browsers apply `form-action` to the redirect after a form POST too, so 'self' alone
    would stop the Connect button at our own 302.
    """
    origins = sorted({_origin(oauth_client_settings(key, current_app.config).authorize_url)
                      for key in OAUTH_PROVIDERS})
    return CSP.format(ancestors="'none'").replace(
        "form-action 'self'", " ".join(["form-action 'self'", *origins]))


def _origin(url: str) -> str:
    """Return scheme://host[:port] of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
