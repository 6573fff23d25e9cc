"""The audit log: who changed which booking or setting, and when (never personal data)."""
from datetime import datetime

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.types import UTCDateTime


class AuditEntry(db.Model):
    """One change to an audited row, written in the transaction that made it."""

    __tablename__ = "audit_entries"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: `admin:<id>`, `client`, `api-token:<id>`, `api-anonymous` or `system`
    actor: Mapped[str] = mapped_column(String(80))
    #: created, updated, deleted, status changed or erased
    action: Mapped[str] = mapped_column(String(40))
    #: what kind of row: booking, setting, service type, availability rule, blocked date
    target_type: Mapped[str] = mapped_column(String(40))
    #: the row's id (a setting's name); a booking also has `booking_id`
    target_id: Mapped[str] = mapped_column(String(80))
    booking_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: the names of the changed fields, never their values
    fields: Mapped[list] = mapped_column(JSON, default=list)
    #: a status change ("pending → cancelled"); never personal data
    detail: Mapped[str | None] = mapped_column(String(200))
