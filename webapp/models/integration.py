"""Connected meeting-provider accounts and their (encrypted) OAuth tokens."""
from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.types import UTCDateTime, created_at_column, updated_at_column


class ProviderIntegration(db.Model):
    """The account a meeting provider acts as, one row per provider."""

    __tablename__ = "provider_integrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20), unique=True)
    #: connected, disconnected (grant revoked or never made) or error
    status: Mapped[str] = mapped_column(String(20), default="disconnected")
    account_email: Mapped[str | None] = mapped_column(String(254))
    #: Fernet ciphertexts (key from TOKEN_ENCRYPTION_KEYS)
    access_token_enc: Mapped[str | None] = mapped_column(Text)
    refresh_token_enc: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scopes: Mapped[str | None] = mapped_column(String(500))
    last_error: Mapped[str | None] = mapped_column(Text)
    #: bumped on every token write, so concurrent refreshes can detect each other
    token_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()
