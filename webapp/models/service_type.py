"""Service types a client can book (consultation, demo, support, training)."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.host import CLIENT_CHOOSES, Host
from webapp.models.types import created_at_column

MIN_DURATION = 15
MAX_DURATION = 180


class ServiceType(db.Model):
    """A kind of appointment with its own durations, buffers and booking window."""

    __tablename__ = "service_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    default_duration: Mapped[int] = mapped_column(Integer, default=30)
    #: minutes a client may choose from; always contains default_duration
    allowed_durations: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: minutes kept free before / after a booking of this type
    buffer_before: Mapped[int] = mapped_column(Integer, default=0)
    buffer_after: Mapped[int] = mapped_column(Integer, default=0)
    #: a slot must start at least this many minutes after "now"
    min_notice_minutes: Mapped[int] = mapped_column(Integer, default=120)
    #: slots are offered at most this many days ahead
    max_days_ahead: Mapped[int] = mapped_column(Integer, default=60)
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: how a booking gets its host(s): one of `ASSIGNMENT_MODES`
    assignment: Mapped[str] = mapped_column(String(20), default=CLIENT_CHOOSES,
                                            server_default=text(f"'{CLIENT_CHOOSES}'"))
    created_at: Mapped[datetime] = created_at_column()

    #: the hosts who give this type (none listed: the default host gives it)
    hosts: Mapped[list[Host]] = relationship(secondary="service_type_hosts", order_by=Host.id)

    @property
    def durations(self) -> list[int]:
        """Return the bookable durations, sorted, default included."""
        return sorted(set(self.allowed_durations or []) | {self.default_duration})
