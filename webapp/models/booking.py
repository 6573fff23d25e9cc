"""Bookings and their follow-up messages (seed: bookings, booking_follow_ups)."""
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, false, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from webapp.extensions import db
from webapp.meetings.registry import PROVIDER_KEYS
from webapp.models.host import BookingHost, Host
from webapp.models.types import UTCDateTime, created_at_column, updated_at_column

BOOKING_STATUSES = ("pending", "confirmed", "cancelled", "completed", "no_show")
#: statuses that hold their time on the calendar
ACTIVE_STATUSES = ("pending", "confirmed")
#: the registry's providers (webapp.meetings.registry is the one list)
MEETING_PROVIDERS = PROVIDER_KEYS
#: the longest a booking may last (the longest service type lasts MAX_DURATION, far less); the
#: database refuses a longer one, so the availability query can read just the days around its range
MAX_BOOKING_SPAN = timedelta(days=1)
SPAN_CHECK = "span_within_a_day"  # named ck_bookings_span_within_a_day by the naming convention
#: the check in each dialect's terms (SQLite keeps the UTC instants as ISO text, read by julianday)
SPAN_CHECK_SQL = {
    "postgresql": "ends_at > scheduled_at AND ends_at <= scheduled_at + interval '1 day'",
    "sqlite": "julianday(ends_at) > julianday(scheduled_at) AND julianday(ends_at) - julianday(scheduled_at) <= 1",
}


def new_uid() -> str:
    """Return a fresh unguessable public identifier (128 random bits)."""
    return secrets.token_urlsafe(16)


class Booking(db.Model):
    """An appointment a client made for one service type at one time."""

    __tablename__ = "bookings"
    # No double booking is guarded per host: see BookingHost's `bookings_no_overlap`.
    #: the availability query's: active bookings ending within a range, read from the index alone
    #: (past bookings, and those ending more than MAX_BOOKING_SPAN after the range, are not read)
    __table_args__ = (
        Index("ix_bookings_active_span", "status", "ends_at", "scheduled_at", "service_type"),
        *(CheckConstraint(sql, name=SPAN_CHECK).ddl_if(dialect=dialect) for dialect, sql in SPAN_CHECK_SQL.items()),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: public identifier used in URLs and the API
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    #: sha256 of the manage token (the token itself is never stored)
    manage_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_name: Mapped[str] = mapped_column(String(200))
    client_email: Mapped[str] = mapped_column(String(254), index=True)
    client_phone: Mapped[str | None] = mapped_column(String(40))
    client_company: Mapped[str | None] = mapped_column(String(200))
    service_type: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    #: start instant (UTC)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: end instant (UTC) = scheduled_at + duration_minutes
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    #: the client's IANA zone, used to show them times
    timezone: Mapped[str] = mapped_column(String(64))
    #: the client's language ("en", "it"): every email about the booking is written in it
    locale: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    meeting_provider: Mapped[str] = mapped_column(String(20), default="jitsi")
    meeting_url: Mapped[str | None] = mapped_column(String(500))
    meeting_id: Mapped[str | None] = mapped_column(String(500))
    #: why the requested provider was not used (shown to the admin)
    meeting_error: Mapped[str | None] = mapped_column(Text)
    reminder_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    client_notes: Mapped[str | None] = mapped_column(Text)
    #: admin-only notes, never shown to the client
    internal_notes: Mapped[str | None] = mapped_column(Text)
    #: bumped on every change the client must hear about (reschedule, cancel);
    #: it is the .ics SEQUENCE and part of each outbox key
    version: Mapped[int] = mapped_column(Integer, default=0)
    #: the client ticked the optional box for marketing follow-ups (webapp.services.consent)
    marketing_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: when that box was ticked, and the version of the text it showed
    marketing_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    marketing_consent_version: Mapped[str | None] = mapped_column(String(40))
    #: an erasure was asked for; the booking is erased once the emails queued before it are done
    erasure_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the personal data was erased (webapp.services.privacy); only date, service, status remain
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    #: the host(s) this booking holds (several for a collective meeting), by host id
    host_links: Mapped[list[BookingHost]] = relationship(
        back_populates="booking", order_by="BookingHost.host_id", cascade="all, delete-orphan")
    follow_ups: Mapped[list["BookingFollowUp"]] = relationship(
        back_populates="booking", order_by="BookingFollowUp.id", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        """Return True while the booking holds its time."""
        return self.status in ACTIVE_STATUSES

    @property
    def hosts(self) -> list[Host]:
        """Return the hosts this booking holds, by id (the first is the invite's organizer)."""
        return [link.host for link in self.host_links]

    def hold_hosts(self, hosts: list[Host]) -> None:
        """Make the booking hold exactly `hosts`, each with a copy of its time."""
        self.host_links = [BookingHost(host=host, scheduled_at=self.scheduled_at, ends_at=self.ends_at,
                                       active=self.is_active) for host in hosts]

    @validates("scheduled_at", "ends_at", "status")
    def _copy_to_host_links(self, key: str, value):
        """Keep the host links' copy of the time in step, so the per-host constraint sees it."""
        for link in self._loaded_links():
            if key == "status":
                link.active = value in ACTIVE_STATUSES
            else:
                setattr(link, key, value)
        return value

    def _loaded_links(self) -> list[BookingHost]:
        """Return the host links in memory, or a persistent booking's stored ones (never a new query for a new one)."""
        if "host_links" in self.__dict__:
            return self.host_links
        return self.host_links if inspect(self).persistent else []


class BookingFollowUp(db.Model):
    """A message to the client after (or about) a booking, sent by the worker."""

    __tablename__ = "booking_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    sent: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: not sent before this instant (automatic follow-ups wait for the meeting's end)
    send_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = created_at_column()

    booking: Mapped[Booking] = relationship(back_populates="follow_ups")
