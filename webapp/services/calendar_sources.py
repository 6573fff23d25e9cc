"""The admin's outside calendars per host: add, change, remove, and which ones are failing."""
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import delete

from webapp import clock
from webapp.extensions import db
from webapp.mail.language import N_
from webapp.models import CalendarSource, ExternalBusy, Host, WrittenEvent
from webapp.models.calendar_source import ACCOUNT_KINDS, SOURCE_KINDS, WRITING_KINDS
from webapp.outbox import write as outbox_write
from webapp.services import calendar_events
from webapp.services.errors import NotFound, ValidationFailed
from webapp.services.integrations import token_cipher

INVALID = "Please correct the highlighted fields."
#: address schemes a source may use (webcal:// is an .ics feed read over https)
SCHEMES = {"caldav": ("http", "https"), "ics": ("http", "https", "webcal")}


def all_sources() -> list[CalendarSource]:
    """Return every source, by host then name (one query: the host is joined)."""
    return list(db.session.scalars(db.select(CalendarSource).join(Host)
                                   .order_by(Host.name, CalendarSource.name, CalendarSource.id)))


def host_choices() -> list[Host]:
    """Return every host a source may belong to, by name."""
    return list(db.session.scalars(db.select(Host).order_by(Host.name, Host.id)))


def get_source(source_id: int) -> CalendarSource:
    """Return the source or raise NotFound."""
    source = db.session.get(CalendarSource, source_id)
    if source is None:
        raise NotFound("No such calendar.")
    return source


def create_source(*, host_id: int, kind: str, name: str, url: str, username: str | None = None,
                  password: str | None = None, calendars: list[str] | None = None,
                  write_calendar: str | None = None, all_day_blocks: bool = True,
                  tentative_busy: bool = True, is_active: bool = True) -> CalendarSource:
    """Add a host's outside calendar; the worker reads it at its next pass."""
    source = CalendarSource(kind=kind, refresh_requested=True)
    return _save(source, host_id=host_id, kind=kind, name=name, url=url, username=username,
                 password=password, calendars=calendars, write_calendar=write_calendar,
                 all_day_blocks=all_day_blocks, tentative_busy=tentative_busy, is_active=is_active)


def update_source(source_id: int, **values) -> CalendarSource:
    """Change a source; an empty password keeps the stored one. It is read again soon."""
    source = get_source(source_id)
    source.refresh_requested = True
    return _save(source, **values)


def _save(source: CalendarSource, *, host_id: int, kind: str, name: str, url: str,
          username: str | None, password: str | None, calendars: list[str] | None,
          all_day_blocks: bool, tentative_busy: bool, is_active: bool,
          write_calendar: str | None = None) -> CalendarSource:
    """Check and store the source's fields (the password encrypted), then commit.

    Bookings go into one calendar per host: choosing one here stops the host's others.
    """
    name, url, username = (name or "").strip(), (url or "").strip(), (username or "").strip() or None
    write_calendar = (write_calendar or "").strip() or None
    errors = _errors(host_id, kind, name, url)
    if write_calendar and kind not in WRITING_KINDS:
        errors["write_calendar"] = N_("An .ics feed is read-only: write bookings into a CalDAV, Google "
                                      "or Microsoft calendar.")
    if errors:
        raise ValidationFailed(INVALID, errors)
    moves = [(source, _write_target(source))]
    source.host_id, source.kind, source.name, source.url = host_id, kind, name, url
    source.username = username if kind == "caldav" else None
    if kind != "caldav":
        source.secret_enc = None
    elif password:
        source.secret_enc = token_cipher().encrypt(password)
    source.calendars = [c.strip() for c in calendars or [] if c.strip()] if kind != "ics" else []
    source.all_day_blocks, source.tentative_busy, source.is_active = all_day_blocks, tentative_busy, is_active
    source.write_calendar = write_calendar
    if write_calendar:
        others = db.select(CalendarSource).where(CalendarSource.host_id == host_id,
                                                 CalendarSource.write_calendar.is_not(None))
        for other in db.session.scalars(others):
            if other is not source:
                moves.append((other, _write_target(other)))
                other.write_calendar = None
    db.session.add(source)
    db.session.flush()
    for moved, before in moves:
        _follow_move(moved, before, clock.now())
    if not is_active and source.id is not None:  # an inactive calendar stops blocking at once
        db.session.execute(delete(ExternalBusy).where(ExternalBusy.source_id == source.id))
    db.session.commit()
    return source


@dataclass(frozen=True)
class WriteTarget:
    """Where a source writes bookings: the host, the account (`calendar_events.account_key`), the calendar."""

    host_id: int
    account: str
    calendar: str | None


def _write_target(source: CalendarSource) -> WriteTarget | None:
    """Return where the source writes bookings now (None for a source not stored yet)."""
    if source.id is None:
        return None
    return WriteTarget(source.host_id, calendar_events.account_key(source), source.write_calendar)


def _follow_move(source: CalendarSource, before: WriteTarget | None, now: datetime) -> None:
    """Move the host's booking events along with a source's new write target (in the session).

    The events written into the former calendar are removed from it through the outbox when
    the source still reaches that account (past ones too: the app could no longer change or
    erase them there), and forgotten; the host's upcoming bookings are written into the new one.
    """
    after = _write_target(source)
    if before == after:
        return
    if before is not None and before.calendar:
        written = calendar_events.written_by(source.id)
        if written and before.account == after.account:
            outbox_write.calendar_moved(source, before.calendar, before.account, written, now)
        db.session.execute(delete(WrittenEvent).where(WrittenEvent.source_id == source.id))
    if source.write_calendar and source.is_active:
        outbox_write.calendar_chosen(source, now)


def _errors(host_id: int, kind: str, name: str, url: str) -> dict[str, str]:
    """Return what is wrong with a source's fields, by field name."""
    errors = {}
    if db.session.get(Host, host_id) is None:
        errors["host_id"] = N_("Choose a host.")
    if kind not in SOURCE_KINDS:
        errors["kind"] = N_("Choose one of the listed kinds.")
    if not name:
        errors["name"] = N_("Give the calendar a name.")
    parts = urlsplit(url)
    if kind in ACCOUNT_KINDS:
        if url:
            errors["url"] = N_("Leave the address empty: the connected account is used.")
    elif parts.scheme.lower() not in SCHEMES.get(kind, ("http", "https")) or not parts.hostname:
        errors["url"] = N_("Enter the full address, starting with https://.")
    return errors


def request_refresh(source_id: int) -> CalendarSource:
    """Ask the worker to read the source at its next pass (the sweep, within a minute)."""
    source = get_source(source_id)
    source.refresh_requested = True
    db.session.commit()
    return source


def delete_source(source_id: int) -> None:
    """Remove a source and the busy times read from it (they stop blocking at once)."""
    source = get_source(source_id)
    db.session.execute(delete(ExternalBusy).where(ExternalBusy.source_id == source.id))
    db.session.execute(delete(WrittenEvent).where(WrittenEvent.source_id == source.id))
    db.session.delete(source)
    db.session.commit()


def failing_sources(now: datetime) -> list[CalendarSource]:
    """Return the active sources failing for longer than CALENDAR_STALE_AFTER_MINUTES (the dashboard warns)."""
    minutes = current_app.config["CALENDAR_STALE_AFTER_MINUTES"]
    failing = db.session.scalars(db.select(CalendarSource).where(
        CalendarSource.is_active, CalendarSource.failing_since.is_not(None)).order_by(CalendarSource.id))
    return [source for source in failing if source.failing_longer_than(now, minutes)]
