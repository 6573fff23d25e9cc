"""Writing outbox rows: one function per event, called inside the transaction that causes it.

Each function only adds OutboxMessage rows to the current session; the caller commits.
After the commit `dispatch` hands the due rows to the app's runner (see `runners`).
Keys are unique per (booking, kind, version[, detail]), so an email happens at most once.
A webhook delivery's key is `webhook:<endpoint id>:<event>:booking:<id>:v<version>`: one
delivery per event and endpoint, and the prefix lists an endpoint's deliveries.

Reminder rule: a reminder whose due time (start - offset) has already passed when the
booking is made or moved is not written; a booking made 3 hours ahead with offsets
[24, 1] gets only the 1-hour reminder, one made 30 minutes ahead gets none (its
confirmation says everything). `reminder_sent` turns true when the last reminder is sent.
"""
import hashlib
import uuid
from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, insert

from webapp.api.parsing import utc_iso
from webapp.api.shapes import booking_json
from webapp.driver_sql import DriverStatement, with_defaults
from webapp.extensions import db
from webapp.mail.messages import notice_recipients
from webapp.models import (
    Booking,
    BookingFollowUp,
    CalendarSource,
    OutboxMessage,
    ServiceType,
    WebhookEndpoint,
    WrittenEvent,
)
from webapp.outbox import dispatch
from webapp.outbox.kinds import VERSIONED_KINDS, Kind, Status
from webapp.services import calendar_events, config_cache
from webapp.services.settings import get_settings
from webapp.webhooks import events


def outbox_key(booking: Booking, kind: Kind, detail: object = None) -> str:
    """Return the unique key of `kind` for this booking at its current version."""
    key = f"booking:{booking.id}:{kind}:v{booking.version}"
    return f"{key}:{detail}" if detail is not None else key


class NewRow(NamedTuple):
    """The columns of an outbox row to write: an OutboxMessage once added (`_add_rows`), or
    inserted as it is (`_insert_new`: no ORM object, whose construction costs more than its insert)."""

    kind: Kind
    key: str
    due_at: datetime
    status: Status
    attempts: int
    booking_id: int | None
    recipient: str | None
    payload: dict


def _row(kind: Kind, key: str, due_at: datetime, *, booking: Booking | None = None,
         recipient: str | None = None, **payload) -> NewRow:
    """Return one new outbox row (not yet in the session)."""
    if booking is not None:
        payload.setdefault("version", booking.version)
    return NewRow(kind=kind, key=key, due_at=due_at, status=Status.PENDING, attempts=0,
                  booking_id=booking.id if booking else None,
                  recipient=recipient or (booking.client_email if booking else None), payload=payload)


def _add_rows(rows: list[NewRow]) -> list[OutboxMessage]:
    """Add the rows whose keys are not stored yet (one query for all; no flush: the commit's
    writes them in one go); return, per row, the stored row of its key or the row added."""
    if not rows:
        return []
    kept = {row.key: row for row in db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.key.in_([row.key for row in rows])))}
    for row in rows:
        if row.key not in kept:
            kept[row.key] = OutboxMessage(**row._asdict())
            db.session.add(kept[row.key])
    return [kept[row.key] for row in rows]


def _add(kind: Kind, key: str, due_at: datetime, **fields) -> OutboxMessage:
    """Add one outbox row to the session (no commit), unless its key already exists."""
    return _add_rows([_row(kind, key, due_at, **fields)])[0]


def booking_created(booking: Booking, service: ServiceType, now: datetime) -> None:
    """Queue the meeting link (then automatic confirmation), the admin notice and reminders.

    Every key names the booking's id, which no stored row can carry yet: the booking was just
    inserted, and a booking with outbox rows is never deleted (their foreign key), so its id is
    never given again. So the rows are inserted without looking for stored keys (`_insert_new`).
    """
    rows = [_row(Kind.MEETING_CREATE, outbox_key(booking, Kind.MEETING_CREATE), now, booking=booking,
                 auto_confirm=not service.requires_approval)]
    if service.requires_approval:
        rows.append(_row(Kind.PENDING_APPROVAL, outbox_key(booking, Kind.PENDING_APPROVAL), now, booking=booking))
    _insert_new([*rows, *_admin_notice(booking, Kind.ADMIN_NEW_BOOKING, now), *_reminders(booking, now),
                 *_webhooks(booking, events.BOOKING_CREATED, now),
                 *_calendar_rows(booking, Kind.CALENDAR_EVENT_PUT, now)])


def _insert_new(rows: list[NewRow]) -> None:
    """Insert rows whose keys cannot be stored yet, now, in one statement and past the ORM's unit of
    work (they stay out of the session); their ids are noted for the dispatch after commit.

    Every row comes from `_row`, so all set the same columns; the others take their Python
    defaults. The statement runs on the driver's cursor (`driver_sql`: SQLAlchemy's statement
    path costs more CPU than the insert) and returns each row's id with its unique key.
    """
    if not rows:
        return
    table = OutboxMessage.__table__
    names = [column.key for column in table.columns if column.key in NewRow._fields]
    values = [with_defaults(table, {name: getattr(row, name) for name in names}) for row in rows]
    columns = tuple(values[0])
    params = {f"{name}_{number}": row[name] for number, row in enumerate(values) for name in columns}
    ids = {key: row_id for row_id, key in _inserting(columns, len(rows)).run(db.session.connection(), params)}
    dispatch.remember(db.session, [(ids[row.key], row.due_at) for row in rows])


@cache
def _inserting(columns: tuple[str, ...], count: int) -> DriverStatement:
    """Return the INSERT of `count` outbox rows of these columns (`<column>_<row>`), returning ids and keys."""
    table = OutboxMessage.__table__
    rows = [{name: bindparam(f"{name}_{number}", type_=table.c[name].type) for name in columns}
            for number in range(count)]
    return DriverStatement(insert(table).values(rows).returning(table.c.id, table.c.key))


def _admin_notice(booking: Booking, kind: Kind, now: datetime) -> list[NewRow]:
    """Return the notice to the business's address and the booking's hosts, when there is one."""
    recipients = notice_recipients(booking, get_settings().admin_email)
    return [_row(kind, outbox_key(booking, kind), now, booking=booking, recipient=recipients[0])] if recipients else []


def booking_confirmed(booking: Booking, now: datetime) -> None:
    """Queue the confirmation with its invite (METHOD:REQUEST)."""
    _add_rows([_row(Kind.CONFIRMATION, outbox_key(booking, Kind.CONFIRMATION), now, booking=booking),
               *_webhooks(booking, events.BOOKING_CONFIRMED, now)])


def meeting_link_ready(booking: Booking, now: datetime) -> None:
    """Queue the meeting link on its own when this version's confirmation went out without it."""
    confirmation = db.session.scalar(db.select(OutboxMessage.id).where(
        OutboxMessage.key == outbox_key(booking, Kind.CONFIRMATION),
        OutboxMessage.status.in_((Status.SENDING, Status.SENT))))
    if confirmation is not None:
        _add(Kind.MEETING_LINK, outbox_key(booking, Kind.MEETING_LINK), now, booking=booking)


def booking_cancelled(booking: Booking, now: datetime) -> None:
    """Queue the cancellation with METHOD:CANCEL (the version was already bumped)."""
    _lapse_earlier_versions(booking)
    _add_rows([*_meeting_step(booking, Kind.MEETING_DELETE, now),
               _row(Kind.CANCELLATION, outbox_key(booking, Kind.CANCELLATION), now, booking=booking),
               *_admin_notice(booking, Kind.ADMIN_CANCELLATION, now),
               *_webhooks(booking, events.BOOKING_CANCELLED, now),
               *_calendar_rows(booking, Kind.CALENDAR_EVENT_DELETE, now)])


def confirmation_resent(booking: Booking, now: datetime) -> None:
    """Queue the confirmation again (an admin asked), under a key of its own."""
    _add(Kind.CONFIRMATION, outbox_key(booking, Kind.CONFIRMATION, f"resend-{uuid.uuid4().hex}"), now,
         booking=booking)


def _meeting_step(booking: Booking, kind: Kind, now: datetime) -> list[NewRow]:
    """Return the meeting update or delete, ahead of the email (a Jitsi room needs neither)."""
    return [_row(kind, outbox_key(booking, kind), now, booking=booking)] if booking.meeting_provider != "jitsi" else []


def _lapse_earlier_versions(booking: Booking) -> None:
    """Skip the unsent emails of earlier versions now (the worker would skip them anyway)."""
    rows = db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.booking_id == booking.id, OutboxMessage.status == Status.PENDING,
        OutboxMessage.kind.in_(VERSIONED_KINDS)))
    for row in rows:
        if row.payload.get("version") != booking.version:
            row.status, row.last_error = Status.SKIPPED, f"superseded by version {booking.version}"


def booking_rescheduled(booking: Booking, previous_start: datetime, previous_end: datetime,
                        now: datetime) -> None:
    """Queue the update invite and the reminders of the new time (old ones lapse by version)."""
    _lapse_earlier_versions(booking)
    _add_rows([*_meeting_step(booking, Kind.MEETING_UPDATE, now),
               _row(Kind.UPDATE, outbox_key(booking, Kind.UPDATE), now, booking=booking,
                    previous_start=previous_start.isoformat(), previous_end=previous_end.isoformat()),
               *_reminders(booking, now),
               *_webhooks(booking, events.BOOKING_RESCHEDULED, now,
                          previous_scheduled_at_utc=utc_iso(previous_start)),
               *_calendar_rows(booking, Kind.CALENDAR_EVENT_PUT, now)])


def booking_erased(booking: Booking, now: datetime) -> None:
    """Queue the rewording of each event written for the booking into an outside calendar.

    Call it before the booking's earlier rows are scrubbed: a write of the booking still under
    way (claimed, its lease running) could land with the client's name after the rewording, so
    the rewording waits until that lease has run out; a removal from a former calendar still
    waiting is queued again (the scrub skips the earlier row).
    """
    for row in db.session.scalars(db.select(OutboxMessage).where(
            OutboxMessage.booking_id == booking.id, OutboxMessage.kind == Kind.CALENDAR_EVENT_WITHDRAW,
            OutboxMessage.status.in_((Status.PENDING, Status.SENDING)))).all():
        _add_withdrawal(booking, dict(row.payload), now)
    sources = calendar_events.written_sources(booking.id)
    if not sources:
        return
    leases = db.session.scalars(db.select(OutboxMessage.claimed_until).where(
        OutboxMessage.booking_id == booking.id, OutboxMessage.kind == Kind.CALENDAR_EVENT_PUT,
        OutboxMessage.status == Status.SENDING, OutboxMessage.claimed_until.is_not(None)))
    due = max([now, *leases])
    for source_id in sources:
        _add(Kind.CALENDAR_EVENT_ANONYMISE, outbox_key(booking, Kind.CALENDAR_EVENT_ANONYMISE, f"source:{source_id}"),
             due, booking=booking, recipient="outside calendars", source_id=source_id)


def calendar_moved(source: CalendarSource, former_calendar: str, account: str, written: list[WrittenEvent],
                   now: datetime) -> None:
    """Queue the removal of each event the source wrote from its former calendar."""
    bookings = {booking.id: booking for booking in db.session.scalars(
        db.select(Booking).where(Booking.id.in_([item.booking_id for item in written])))}
    for item in written:
        _add_withdrawal(bookings[item.booking_id], {"source_id": source.id, "account": account,
                                                    "calendar": former_calendar, "event_id": item.event_id}, now)


def calendar_event_landed_elsewhere(booking: Booking, where: calendar_events.Target, event_id: str,
                                    now: datetime) -> None:
    """Queue the removal of an event written into a calendar its source stopped writing into meanwhile."""
    _add_withdrawal(booking, {"source_id": where.source_id, "account": where.account_key, "calendar": where.calendar,
                              "event_id": event_id}, now)


def _add_withdrawal(booking: Booking, where: dict, now: datetime) -> None:
    """Add one removal of the booking's event from a former calendar (source_id, account, calendar, event_id)."""
    where.pop("version", None)
    _add(Kind.CALENDAR_EVENT_WITHDRAW, outbox_key(booking, Kind.CALENDAR_EVENT_WITHDRAW, uuid.uuid4().hex[:16]),
         now, booking=booking, recipient="outside calendars", **where)


def calendar_chosen(source: CalendarSource, now: datetime) -> None:
    """Queue the writing of the host's upcoming bookings into the calendar its source now writes into."""
    for booking in calendar_events.upcoming_bookings(source.host_id, now):
        _add(Kind.CALENDAR_EVENT_PUT, outbox_key(booking, Kind.CALENDAR_EVENT_PUT,
                                                 f"source:{source.id}:{uuid.uuid4().hex[:16]}"),
             now, booking=booking, recipient="outside calendars", source_id=source.id)


def _calendar_rows(booking: Booking, kind: Kind, now: datetime) -> list[NewRow]:
    """Return the write (or removal) of the booking's event in each host calendar that takes
    bookings, and a fresh read of the hosts' outside calendars, if any has one (one query)."""
    host_ids = sorted(link.host_id for link in booking.host_links)
    writing, with_sources = calendar_events.sources_of(host_ids)
    rows = [_row(kind, outbox_key(booking, kind, f"source:{source_id}"), now, booking=booking,
                 recipient="outside calendars", source_id=source_id) for source_id in writing]
    if with_sources:
        rows.append(_row(Kind.CALENDAR_REFRESH, outbox_key(booking, Kind.CALENDAR_REFRESH), now, booking=booking,
                         recipient="outside calendars", host_ids=with_sources))
    return rows


def _reminders(booking: Booking, now: datetime) -> list[NewRow]:
    """Return one reminder per configured offset whose due time is still ahead."""
    offsets = sorted({int(h) for h in get_settings().reminder_offsets_hours if int(h) > 0},
                     reverse=True)
    due = [(h, booking.scheduled_at - timedelta(hours=h)) for h in offsets]
    due = [(h, at) for h, at in due if at > now]
    return [_row(Kind.REMINDER, outbox_key(booking, Kind.REMINDER, f"{hours}h"), at, booking=booking,
                 offset_hours=hours, last=index == len(due) - 1)
            for index, (hours, at) in enumerate(due)]


def _webhooks(booking: Booking, event_type: str, now: datetime, **extra) -> list[NewRow]:
    """Return one delivery of the event per endpoint receiving it; all carry the same event id.

    The body is the booking as an admin's API call shows it at this moment (never its manage
    token), so a retry hours later sends the same bytes.
    """
    endpoints = [endpoint for endpoint in config_cache.current().webhook_endpoints if endpoint.receives(event_type)]
    if not endpoints:
        return []
    body = events.event_body(event_type, _event_id(), now,
                             {"booking": booking_json(booking, admin=True), **extra})
    return [_delivery(endpoint, body, f"booking:{booking.id}:v{booking.version}", now, booking=booking)
            for endpoint in endpoints]


def webhook_test_requested(endpoint: WebhookEndpoint, now: datetime) -> OutboxMessage:
    """Queue a `webhook.test` event to one endpoint (the admin's button; active or not)."""
    event_id = _event_id()
    body = events.event_body(events.TEST_EVENT, event_id, now,
                             {"endpoint_id": endpoint.id, "message": "A test event: it arrived."})
    return _add_rows([_delivery(endpoint, body, event_id, now)])[0]


def _delivery(endpoint: WebhookEndpoint, body: dict, detail: str, now: datetime, *,
              booking: Booking | None = None) -> NewRow:
    """Return the row that POSTs `body` to `endpoint` once."""
    key = f"{webhook_key_prefix(endpoint.id)}{body['type']}:{detail}"
    return _row(Kind.WEBHOOK, key, now, booking=booking, recipient=endpoint.url[:254],
                endpoint_id=endpoint.id, event=body["type"], body=body)


def webhook_key_prefix(endpoint_id: int) -> str:
    """Return the start of the keys of every delivery to one endpoint."""
    return f"webhook:{endpoint_id}:"


def _event_id() -> str:
    """Return a new event id (receivers use it to recognise a delivery they already have)."""
    return f"evt_{uuid.uuid4().hex}"


def follow_up_written(follow_up: BookingFollowUp, now: datetime) -> None:
    """Queue a follow-up message for its send time (now when it has none)."""
    db.session.flush()
    _add(Kind.FOLLOW_UP, f"follow_up:{follow_up.id}", max(follow_up.send_after or now, now),
         booking=follow_up.booking, follow_up_id=follow_up.id)


def manage_links_requested(email: str, now: datetime, language: str | None = None) -> None:
    """Queue a "lost your link" email for `email` in `language`; the worker finds its bookings (or skips).

    The request writes the same row whether or not the address has bookings, so its
    answer takes the same time either way.
    """
    digest = hashlib.sha256(email.lower().encode()).hexdigest()[:16]
    _add(Kind.MANAGE_LINKS, f"manage_links:{digest}:{uuid.uuid4().hex}", now, recipient=email,
         language=language)


def queue_manage_links(email: str, now: datetime, language: str | None = None) -> None:
    """Queue and commit a "lost your link" email for `email` (in `language`, the page's)."""
    manage_links_requested(email, now, language)
    db.session.commit()


def booking_completed(booking: Booking, now: datetime) -> None:
    """Write the automatic follow-up when the setting asks for one (delay > 0 hours)."""
    settings = get_settings()
    delay = int(settings.follow_up_delay_hours or 0)
    if delay <= 0:
        return
    follow_up = BookingFollowUp(
        booking=booking, send_after=booking.ends_at + timedelta(hours=delay),
        subject=f"Thank you for meeting {settings.business_name}",
        message=(f"Dear {booking.client_name},\n\nthank you for your time. If anything is left "
                 "open, just reply to this email.\n"))
    db.session.add(follow_up)
    follow_up_written(follow_up, now)
