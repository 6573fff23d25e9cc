"""Settings an admin edits at run time, and idempotency records for the API."""
from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.types import created_at_column, updated_at_column


class Setting(db.Model):
    """One named setting; missing names fall back to the configuration's defaults."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
    updated_at: Mapped[datetime] = updated_at_column()


class IdempotencyRecord(db.Model):
    """The first response to a request made with an Idempotency-Key header."""

    __tablename__ = "idempotency_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    #: sha256 of the request body, to refuse the same key with another body
    request_hash: Mapped[str] = mapped_column(String(64))
    response_status: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class ConfigVersion(db.Model):
    """One row whose number moves with every change to the stable configuration.

    Bumped in the same transaction as the change (`services/config_cache.py`), so every process
    compares one number per request and reloads its cached configuration only when it moved.
    """

    __tablename__ = "config_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
