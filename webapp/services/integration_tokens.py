"""The token getter a connected provider calls before each request.

Zoom and Microsoft rotate refresh tokens: a refresh token works once, so two workers
refreshing together would lock the account out. A refresh therefore runs inside a
transaction holding the integration's row; whoever gets the row second sees a newer
`token_version` and takes the token the first one stored instead of refreshing again.
"""
from datetime import datetime, timedelta

from flask import current_app

from webapp.database import write_transaction
from webapp.extensions import db
from webapp.meetings import PROVIDER_NAMES, ProviderAuthError
from webapp.meetings.oauth_clients import oauth_client_settings
from webapp.meetings.oauth_tokens import refresh_access_token
from webapp.models import ProviderIntegration
from webapp.services.integrations import locked_integration, token_cipher, write_tokens

#: refresh this long before the access token expires (clocks and slow calls)
REFRESH_MARGIN = timedelta(minutes=2)
#: (connect, read) seconds for the token endpoint: the refresh holds the row (on SQLite the
#: database's write lock), so it must end well before writers' 15 s busy timeout
REFRESH_TIMEOUT = (3.0, 8.0)


class IntegrationTokens:
    """Access tokens of one provider's stored account: decrypted, refreshed when due."""

    def __init__(self, key: str, now: datetime):
        """Prepare a getter for provider `key`; nothing is read until the first call."""
        self.key, self.now = key, now
        self.cipher = token_cipher()
        #: set once this getter has refreshed (a second 401 then means the grant is dead)
        self.refreshed = False
        self._access: str | None = None
        self._version: int | None = None

    def __call__(self) -> str:
        """Return a usable access token, refreshing it first when it is about to expire."""
        if self._access is None:
            self._load()
        return self._access

    def refresh(self) -> None:
        """Refresh the access token, one refresh at a time per account."""
        self.refreshed = True
        with write_transaction() as session:
            row = locked_integration(session, self.key)
            self._require_connected(row, need_refresh=True)
            # A newer version means another worker refreshed since we read: use its token.
            if self._version is None or row.token_version == self._version:
                write_tokens(row, self._refresh_grant(row), self.cipher, self.now)
            self._access = self.cipher.decrypt(row.access_token_enc)
            self._version = row.token_version

    def _load(self) -> None:
        """Read the stored token; refresh it when it expires within the margin."""
        row = db.session.scalars(db.select(ProviderIntegration).where(
            ProviderIntegration.provider == self.key).execution_options(populate_existing=True)
        ).one_or_none()
        self._require_connected(row, need_refresh=False)
        self._version = row.token_version
        access, expires_at = row.access_token_enc, row.expires_at
        db.session.rollback()  # end the read: the refresh takes its own write lock
        if access and (expires_at is None or expires_at - REFRESH_MARGIN > self.now):
            self._access = self.cipher.decrypt(access)
        else:
            self.refresh()

    def _refresh_grant(self, row: ProviderIntegration) -> dict:
        """Run the refresh_token grant with the stored (decrypted) refresh token."""
        settings = oauth_client_settings(self.key, current_app.config)
        if not settings.configured:
            raise ProviderAuthError(f"{self._name}: no client id and secret are configured")
        return refresh_access_token(
            settings.token_url, settings.client_id, settings.client_secret,
            self.cipher.decrypt(row.refresh_token_enc), settings.auth_method,
            # Microsoft's v2 endpoint wants the scopes again; the others keep the granted ones
            scope=settings.scope if settings.refresh_sends_scope else None, timeout=REFRESH_TIMEOUT)

    def _require_connected(self, row: ProviderIntegration | None, *, need_refresh: bool) -> None:
        """Raise ProviderAuthError unless the account is connected (with a refresh token)."""
        if row is None or row.status != "connected" or not row.access_token_enc:
            raise ProviderAuthError(f"{self._name}: no account is connected")
        if need_refresh and not row.refresh_token_enc:
            raise ProviderAuthError(f"{self._name}: the access token expired and there is no refresh token")

    @property
    def _name(self) -> str:
        """The provider's name for messages."""
        return PROVIDER_NAMES[self.key]
