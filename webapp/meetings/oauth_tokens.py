"""OAuth token helpers: encryption at rest with rotatable keys, and the refresh grant.

Storage and locking live with the caller: Zoom and Microsoft rotate refresh tokens, so
refresh one account at a time and store the returned refresh token before using it again.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import requests
from authlib.integrations.requests_client import OAuth2Session
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from webapp.meetings.base import ProviderError
from webapp.meetings.transport import DEFAULT_TIMEOUT, error_from_response

#: Zoom authenticates the client with HTTP Basic; Google and Microsoft in the form body
AuthMethod = Literal["client_secret_basic", "client_secret_post"]


class TokenCipher:
    """Encrypt with the first key, decrypt with any: add a key in front, rotate, drop the old."""

    def __init__(self, keys: Iterable[str]):
        fernets = [Fernet(k.encode() if isinstance(k, str) else k) for k in keys]
        if not fernets:
            raise ValueError("TokenCipher needs at least one key")
        self._fernet = MultiFernet(fernets)

    @classmethod
    def from_setting(cls, value: str) -> TokenCipher:
        """Build from a config value listing keys separated by commas or spaces, newest first."""
        return cls(value.replace(",", " ").split())

    @staticmethod
    def generate_key() -> str:
        """Make a new key for the setting."""
        return Fernet.generate_key().decode()

    def encrypt(self, plaintext: str) -> str:
        """Encrypt a token with the newest key."""
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        """Decrypt a token made with any configured key; ValueError if none fits."""
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("token ciphertext does not match any configured key") from exc

    def rotate(self, ciphertext: str) -> str:
        """Re-encrypt a stored token under the newest key."""
        try:
            return self._fernet.rotate(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("token ciphertext does not match any configured key") from exc


def refresh_access_token(
    token_endpoint: str,
    client_id: str,
    client_secret: str,
    refresh_token: str,
    auth_method: AuthMethod = "client_secret_post",
    *,
    scope: str | None = None,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
) -> dict:
    """Run the refresh_token grant; return the token dict, always with a `refresh_token`.

    A provider that rotates refresh tokens (Zoom, Microsoft) returns a new one; one that
    does not (Google) gets the old one copied in, so the caller can always store the field.
    Raises ProviderAuthError when the grant is revoked or expired (invalid_grant, 401).
    """
    client = OAuth2Session(client_id, client_secret, token_endpoint_auth_method=auth_method)
    client.register_compliance_hook("refresh_token_response", _raise_for_status)
    extra = {"scope": scope} if scope else {}
    try:
        with client:
            token = client.refresh_token(
                token_endpoint, refresh_token=refresh_token, timeout=timeout, **extra
            )
    except requests.RequestException as exc:
        raise ProviderError(f"token endpoint: {type(exc).__name__}: {exc}", retryable=True) from exc
    if not token.get("access_token"):
        raise ProviderError("token endpoint: answer has no access_token", retryable=True)
    return dict(token)


def _raise_for_status(resp: requests.Response) -> requests.Response:
    """Map error answers before Authlib parses them (it would take a 429's JSON for a token)."""
    if resp.status_code >= 400:
        raise error_from_response(resp, "token endpoint")
    return resp
