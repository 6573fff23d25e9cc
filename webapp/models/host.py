"""Hosts (the people clients meet), the service types they give, and the bookings they hold."""
from datetime import datetime

from sqlalchemy import DDL, Boolean, ForeignKey, Integer, String, event, func, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.types import UTCDateTime, created_at_column

#: how a service type with several hosts gives a booking its host(s)
ASSIGNMENT_MODES = ("client_chooses", "round_robin", "collective")
CLIENT_CHOOSES, ROUND_ROBIN, COLLECTIVE = ASSIGNMENT_MODES


class Host(db.Model):
    """A person who meets clients, with their own zone, weekly hours and blocked dates.

    Exactly one host is the default (`is_default`): weekly rules and blocked dates whose
    `host_id` is NULL (rows inserted in plain SQL, as the seed's snippets do) are its, and a
    service type that lists no host is offered by it.
    """

    __tablename__ = "hosts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: public key in URLs and the API (`/with/<slug>`, `host=<slug>`)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    #: where the host's notices go, never shown publicly; empty for a default host that is the
    #: business itself (its notices go to ADMIN_EMAIL only, its invites come from FROM_EMAIL)
    email: Mapped[str] = mapped_column(String(254))
    photo_url: Mapped[str | None] = mapped_column(String(500))
    #: IANA zone of the host's weekly hours and blocked dates
    timezone: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    #: round-robin tie-break after the booking count: higher goes first
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    #: the admin account that logs in as this host (host logins come later)
    admin_user_id: Mapped[int | None] = mapped_column(ForeignKey("admin_users.id"), unique=True)
    created_at: Mapped[datetime] = created_at_column()


class ServiceTypeHost(db.Model):
    """A host who gives a service type."""

    __tablename__ = "service_type_hosts"

    service_type_id: Mapped[int] = mapped_column(ForeignKey("service_types.id", ondelete="CASCADE"),
                                                 primary_key=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("hosts.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)


class BookingHost(db.Model):
    """A host a booking holds, with a copy of the booking's time so PostgreSQL can guard it.

    The copy (scheduled_at, ends_at, active) is kept in step by `Booking` itself; the
    exclusion constraint then refuses two active bookings of one host that overlap, while
    bookings of different hosts may.
    """

    __tablename__ = "booking_hosts"
    __table_args__ = (
        # Backstop for the transaction's re-check, per host (needs btree_gist for `host_id =`).
        ExcludeConstraint(
            (text("host_id"), "="),
            (func.tstzrange(text("scheduled_at"), text("ends_at")), "&&"),
            name="bookings_no_overlap",
            using="gist",
            where=text("active"),
        ).ddl_if(dialect="postgresql"),
    )

    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"),
                                            primary_key=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("hosts.id"), primary_key=True, index=True)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the booking holds its time (pending or confirmed)
    active: Mapped[bool] = mapped_column(Boolean)

    host: Mapped[Host] = relationship(lazy="joined")
    booking = relationship("Booking", back_populates="host_links")


# The constraint's `host_id =` needs btree_gist; `db.create_all()` (tests, `make run`) installs it
# as the migration does. A schema declaration, like the constraint itself.
event.listen(BookingHost.__table__, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS btree_gist").execute_if(dialect="postgresql"))
