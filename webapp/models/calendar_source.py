"""A host's outside calendars (CalDAV, iCalendar feeds) and the busy times last read from them."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.mail.language import N_
from webapp.models.host import Host
from webapp.models.types import UTCDateTime, created_at_column

#: the kinds of source: a CalDAV account, a read-only .ics subscription URL, or the connected
#: Google or Microsoft account (Admin -> Integrations), read through freeBusy / getSchedule
SOURCE_KINDS = {"caldav": N_("CalDAV account"), "ics": N_("iCalendar feed (.ics URL)"),
                "google": N_("Google Calendar (the connected Google account)"),
                "microsoft": N_("Microsoft 365 (the connected Microsoft account)")}
#: the short names the admin's list shows
KIND_NAMES = {"caldav": "CalDAV", "ics": N_("iCalendar feed"), "google": "Google Calendar",
              "microsoft": "Microsoft 365"}
#: kinds read through a connected OAuth account: no address of their own
ACCOUNT_KINDS = ("google", "microsoft")
#: kinds bookings can be written into (an .ics feed is read-only)
WRITING_KINDS = ("caldav", *ACCOUNT_KINDS)


class CalendarSource(db.Model):
    """An outside calendar whose events make a host busy; the worker reads it into `external_busy`.

    The status columns say how the last reads went: `failing_since` is the first failure of
    the current run of failures (None while it works), so the dashboard warns once a source
    has failed for longer than CALENDAR_STALE_AFTER_MINUTES; its last busy times still apply.
    """

    __tablename__ = "calendar_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("hosts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    #: what the admin calls it ("Work calendar")
    name: Mapped[str] = mapped_column(String(120))
    #: the CalDAV server (or principal/calendar) URL, or the feed's URL (empty for account kinds)
    url: Mapped[str] = mapped_column(String(2000))
    username: Mapped[str | None] = mapped_column(String(254))
    #: the app password (CalDAV) as a Fernet ciphertext (key from TOKEN_ENCRYPTION_KEYS)
    secret_enc: Mapped[str | None] = mapped_column(Text)
    #: names (or URLs) of the CalDAV calendars to read, empty: all; Google calendar ids, empty:
    #: primary; Microsoft 365 mailbox addresses, empty: the host's address
    calendars: Mapped[list] = mapped_column(JSON, default=list)
    #: the calendar the host's bookings are written into (CalDAV: its name or URL; Google: a
    #: calendar id such as `primary`; Microsoft: a calendar id or `default`); None: not written
    write_calendar: Mapped[str | None] = mapped_column(String(254))
    #: all-day events block the whole day (off: they are ignored, e.g. birthdays, "office")
    all_day_blocks: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    #: tentative events (STATUS:TENTATIVE) count as busy
    tentative_busy: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: a booking asked for a fresh read (the next worker pass reads it, whatever the interval)
    refresh_requested: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    created_at: Mapped[datetime] = created_at_column()

    host: Mapped[Host] = relationship(lazy="joined")

    @property
    def kind_name(self) -> str:
        """Return the kind as the admin's list names it."""
        return KIND_NAMES.get(self.kind, self.kind)

    def failing_longer_than(self, now: datetime, minutes: int) -> bool:
        """Return True if the source has failed without a success for more than `minutes`."""
        return self.failing_since is not None and (now - self.failing_since).total_seconds() > minutes * 60


class ExternalBusy(db.Model):
    """One busy interval read from a source: the cache the availability loader reads."""

    __tablename__ = "external_busy"
    __table_args__ = (Index("ix_external_busy_host_range", "host_id", "starts_at", "ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("calendar_sources.id", ondelete="CASCADE"), index=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("hosts.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WrittenEvent(db.Model):
    """A booking's event as written into a source's calendar: its remote id and the time it holds there.

    Updates and deletes address `event_id` (Google's event id, Graph's event id, the CalDAV
    UID); `ical_uid` is how the event shows in the calendar's iCalendar export, so reads of
    it recognise it as ours; the times let busy reads that name no events (Google freeBusy,
    Graph getSchedule) leave ours out.
    """

    __tablename__ = "written_events"
    __table_args__ = (UniqueConstraint("source_id", "booking_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("calendar_sources.id", ondelete="CASCADE"))
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("hosts.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str] = mapped_column(String(1024))
    ical_uid: Mapped[str | None] = mapped_column(String(1024))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
