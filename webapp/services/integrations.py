"""Connected meeting-provider accounts: tokens encrypted at rest, status, key rotation.

Every token write goes through `write_tokens` inside a transaction that holds the
integration's row (SELECT ... FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite) and
bumps `token_version`, so a refresh running elsewhere can tell its copy is stale.
"""
import base64
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from webapp.database import write_transaction
from webapp.extensions import db
from webapp.meetings import OAUTH_PROVIDERS, PROVIDER_NAMES, PROVIDERS
from webapp.meetings.oauth_clients import oauth_client_settings
from webapp.meetings.oauth_tokens import TokenCipher
from webapp.models import ProviderIntegration
from webapp.services.errors import NotAllowed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IntegrationStatus:
    """One provider as the admin page shows it."""

    key: str
    name: str
    #: "builtin" (Jitsi), "oauth" (connect button) or "api_key" (Whereby)
    kind: str
    #: whether the server has the client id/secret or API key this provider needs
    configured: bool
    connected: bool
    account_email: str | None = None
    last_error: str | None = None


def token_cipher() -> TokenCipher:
    """Return the cipher for stored tokens (TOKEN_ENCRYPTION_KEYS, newest key first).

    Outside production a missing setting falls back to a key derived from SECRET_KEY, so a
    laptop can connect an account; production refuses to start without the setting.
    """
    config = current_app.config
    if config.get("TOKEN_ENCRYPTION_KEYS"):
        return TokenCipher.from_setting(config["TOKEN_ENCRYPTION_KEYS"])
    digest = hashlib.sha256(b"token-encryption:" + config["SECRET_KEY"].encode()).digest()
    return TokenCipher([base64.urlsafe_b64encode(digest).decode()])


def integration_statuses() -> list[IntegrationStatus]:
    """Return every provider's status for the admin page (one query)."""
    config = current_app.config
    rows = {row.provider: row for row in db.session.scalars(db.select(ProviderIntegration))}
    statuses = []
    for info in PROVIDERS:  # in the registry's order
        key, name, row = info.key, info.name, rows.get(info.key)
        error = row.last_error if row else None
        if info.kind == "builtin":
            statuses.append(IntegrationStatus(key, name, "builtin", True, True))
        elif info.kind == "api_key":
            has_key = bool(config.get(info.api_key_setting))
            statuses.append(IntegrationStatus(key, name, "api_key", has_key, has_key,
                                              last_error=error))
        else:
            connected = row is not None and row.status == "connected"
            statuses.append(IntegrationStatus(
                key, name, "oauth", oauth_client_settings(key, config).configured,
                connected, row.account_email if row else None, error))
    return statuses


def require_oauth_provider(key: str) -> None:
    """Refuse keys that have no OAuth connect flow, or whose client is not configured."""
    if key not in OAUTH_PROVIDERS:
        raise NotAllowed("That provider is not connected through an account.")
    if not oauth_client_settings(key, current_app.config).configured:
        raise NotAllowed(f"{PROVIDER_NAMES[key]} has no client id and secret configured.")


def locked_integration(session, key: str) -> ProviderIntegration | None:
    """Read the integration row and lock it for this transaction (FOR UPDATE on PostgreSQL)."""
    return session.scalars(
        db.select(ProviderIntegration).where(ProviderIntegration.provider == key)
        .with_for_update().execution_options(populate_existing=True)
    ).one_or_none()


def write_tokens(row: ProviderIntegration, token: dict, cipher: TokenCipher, now: datetime) -> None:
    """Store a token response encrypted, keeping the old refresh token if none came back."""
    row.access_token_enc = cipher.encrypt(token["access_token"])
    if token.get("refresh_token"):
        row.refresh_token_enc = cipher.encrypt(token["refresh_token"])
    expires_in = token.get("expires_in")
    row.expires_at = now + timedelta(seconds=int(expires_in)) if expires_in is not None else None
    scope = token.get("scope")
    if scope:
        row.scopes = (scope if isinstance(scope, str) else " ".join(scope))[:500]
    row.status, row.last_error = "connected", None
    row.token_version = (row.token_version or 0) + 1


def connect(key: str, token: dict, now: datetime) -> ProviderIntegration:
    """Store the tokens of a finished authorisation and mark the provider connected."""
    require_oauth_provider(key)
    if not token.get("access_token"):
        raise NotAllowed(f"{PROVIDER_NAMES[key]} did not issue an access token.")
    cipher = token_cipher()
    with write_transaction() as session:
        row = locked_integration(session, key)
        if row is None:
            row = ProviderIntegration(provider=key, token_version=0)
            session.add(row)
        write_tokens(row, token, cipher, now)
        row.account_email = account_email(token) or row.account_email
    return row


def disconnect(key: str, now: datetime, reason: str | None = None) -> None:
    """Forget a provider's tokens and mark it disconnected (with the reason, if any)."""
    with write_transaction() as session:
        row = locked_integration(session, key)
        if row is None:
            row = ProviderIntegration(provider=key, token_version=0)
            session.add(row)
        row.status, row.last_error, row.updated_at = "disconnected", reason, now
        row.access_token_enc = row.refresh_token_enc = row.expires_at = None
        row.token_version = (row.token_version or 0) + 1
    if reason:
        log.warning("%s disconnected: %s", PROVIDER_NAMES.get(key, key), reason)


def record_provider_error(key: str, message: str, now: datetime) -> None:
    """Tell the admin why a provider refused us: OAuth ones are disconnected, Whereby keeps its key."""
    if key in OAUTH_PROVIDERS:
        disconnect(key, now, message)
        return
    with write_transaction() as session:
        row = locked_integration(session, key) or ProviderIntegration(provider=key, token_version=0)
        row.status, row.last_error, row.updated_at = "error", message, now
        session.add(row)


def rotate_token_keys() -> int:
    """Re-encrypt every stored token under the newest key; return how many rows changed."""
    cipher = token_cipher()
    changed = 0
    with write_transaction() as session:
        rows = session.scalars(db.select(ProviderIntegration).with_for_update()).all()
        for row in rows:
            if row.access_token_enc or row.refresh_token_enc:
                if row.access_token_enc:
                    row.access_token_enc = cipher.rotate(row.access_token_enc)
                if row.refresh_token_enc:
                    row.refresh_token_enc = cipher.rotate(row.refresh_token_enc)
                changed += 1
    return changed


def account_email(token: dict) -> str | None:
    """Return the account's email from the token response's id_token, when it has one.

    The id_token came straight from the token endpoint over TLS, so its claims are read
    without verifying the signature (OpenID Connect Core 3.1.3.7 allows this).
    """
    id_token = token.get("id_token")
    if not isinstance(id_token, str) or id_token.count(".") != 2:
        return token.get("email") if isinstance(token.get("email"), str) else None
    payload = id_token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return None
    email = claims.get("email") or claims.get("preferred_username")
    return email if isinstance(email, str) and "@" in email else None
