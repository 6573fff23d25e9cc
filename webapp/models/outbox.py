"""Outbox rows: every email and meeting action, written with the change that causes it."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.types import UTCDateTime, created_at_column, updated_at_column, utcnow
from webapp.outbox.kinds import Status


class OutboxMessage(db.Model):
    """One side effect to perform once, after commit, by the worker."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), index=True)
    #: what to do: a `Kind` value (stored as text, so an unknown one can be reported, not lost)
    kind: Mapped[str] = mapped_column(String(40))
    #: unique per (booking, kind, booking version[, detail]) so it happens at most once
    key: Mapped[str] = mapped_column(String(200), unique=True)
    #: a `Status` value
    status: Mapped[str] = mapped_column(String(20), default=Status.PENDING, index=True)
    #: not performed before this instant (reminders, follow-ups, retries)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: attempts made, counted (and committed) before each one starts
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: when the latest attempt started (committed before it sends anything)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: claims whose worker stopped before recording an outcome; for an email, it may have gone
    #: out already, so a later send is a possible duplicate (same Message-ID)
    lapsed_claims: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: when a claimed row counts as stuck and may be claimed again
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recipient: Mapped[str | None] = mapped_column(String(254))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()
