"""Weekly availability rules and blocked dates (seed: availability_slots, blocked_dates)."""
from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.types import created_at_column


class AvailabilitySlot(db.Model):
    """A weekly window of one host, in the host's zone, cut into slots of one service type."""

    __tablename__ = "availability_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: whose hours these are; NULL means the default host (the seed's SQL names no host)
    host_id: Mapped[int | None] = mapped_column(ForeignKey("hosts.id", ondelete="CASCADE"), index=True)
    #: 0 = Monday ... 6 = Sunday
    day_of_week: Mapped[int] = mapped_column(Integer, index=True)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    #: minutes between slot starts
    slot_duration: Mapped[int] = mapped_column(Integer, default=30)
    service_type: Mapped[str] = mapped_column(String(40), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()


class BlockedDate(db.Model):
    """A day in the host's zone (or part of it) when the host cannot be booked."""

    __tablename__ = "blocked_dates"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: whose day this is; NULL means the default host (the seed's SQL names no host)
    host_id: Mapped[int | None] = mapped_column(ForeignKey("hosts.id", ondelete="CASCADE"), index=True)
    blocked_date: Mapped[date] = mapped_column(Date, index=True)
    reason: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    all_day: Mapped[bool] = mapped_column(Boolean, default=True)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    created_at: Mapped[datetime] = created_at_column()
