"""Webhook endpoints: where the admin wants booking events POSTed, and the secret that signs them."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.types import created_at_column, updated_at_column


class WebhookEndpoint(db.Model):
    """One receiver of booking events; its deliveries are outbox rows of kind `webhook`."""

    __tablename__ = "webhook_endpoints"
    #: ids are never reused (SQLite would reuse the highest one after a delete): deliveries
    #: name their endpoint by id, and must not reach a newer endpoint
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    #: the signing secret as a Fernet ciphertext (key from TOKEN_ENCRYPTION_KEYS, like OAuth tokens)
    secret_enc: Mapped[str] = mapped_column(Text)
    #: the event types it receives (`webapp.webhooks.events.EVENTS` keys)
    events: Mapped[list] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    def receives(self, event_type: str) -> bool:
        """Return True if this endpoint is active and subscribed to `event_type`."""
        return bool(self.is_active) and event_type in (self.events or [])
