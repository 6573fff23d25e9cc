"""What each outbox kind does: re-check the booking, then build the email, the meeting or the POST.

`prepare(row, now)` runs before any I/O and returns an Action, or a Skip with the reason
the row no longer applies (booking cancelled, moved to a new version, already started), or
UnknownKind for a kind no action exists for (a bug or a row written by another version).
"""
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from flask import current_app

from webapp.calendars.fetch import SourceError
from webapp.extensions import db
from webapp.mail import messages
from webapp.mail.outgoing import OutgoingEmail
from webapp.mail.references import booking_reference
from webapp.meetings import ProviderError
from webapp.models import Booking, BookingFollowUp, OutboxMessage, WebhookEndpoint
from webapp.outbox.kinds import Kind, Status
from webapp.outbox.write import booking_confirmed, calendar_event_landed_elsewhere, meeting_link_ready
from webapp.services import calendar_events, calendar_sync, meetings
from webapp.services.admin_accounts import notice_language
from webapp.services.self_service import upcoming_bookings_of
from webapp.services.settings import get_settings
from webapp.services.tokens import manage_url
from webapp.services.webhooks import endpoint_secret, private_addresses_allowed
from webapp.webhooks.delivery import Delivery, DeliveryError, deliver
from webapp.webhooks.events import TEST_EVENT, encode


class Skip(Exception):
    """The row no longer applies; it ends as `skipped` with this reason."""


class Defer(Exception):
    """The row must wait for another step; it is put back without counting an attempt."""


class UnknownKind(Exception):
    """No action exists for the row's kind; retrying cannot help, so it ends as `failed`."""


@dataclass
class Action:
    """An email to send, a meeting to create or another call to make, plus what to record after."""

    email: OutgoingEmail | None = None
    meeting: Callable[[], object] | None = None
    #: any other outside call (a webhook POST); raises ProviderError when it fails
    call: Callable[[], object] | None = None
    #: runs inside the finishing transaction with the fresh booking (or None) and the result
    record: Callable[[Booking | None, object, datetime], None] | None = None
    #: runs inside the transaction that records a failed attempt, with the fresh booking
    on_failure: Callable[[Booking | None, datetime], None] | None = None


def mail_settings() -> messages.MailSettings:
    """Return the sender settings: configuration, with the admin's run-time settings on top."""
    settings = get_settings()
    return replace(messages.MailSettings.from_config(current_app.config),
                   business_name=settings.business_name,
                   business_timezone=settings.business_timezone,
                   admin_email=settings.admin_email or None,
                   accent_color=settings.accent_color,
                   default_language=settings.default_language)


def prepare(row: OutboxMessage, now: datetime) -> Action:
    """Return what to do for `row`, or raise Skip, Defer or UnknownKind."""
    action = ACTIONS.get(row.kind)
    if action is None:
        raise UnknownKind(f"unknown outbox kind {row.kind!r}")
    booking = db.session.get(Booking, row.booking_id) if row.booking_id else None
    if row.booking_id and booking is None:
        raise Skip("the booking no longer exists")
    return action(row, booking, now)


def _require(booking: Booking, row: OutboxMessage, statuses: tuple[str, ...]) -> None:
    """Skip unless the booking is in one of `statuses` at the row's version."""
    if booking.status not in statuses:
        raise Skip(f"the booking is {booking.status}")
    if booking.version != row.payload.get("version"):
        raise Skip(f"the booking changed (version {booking.version})")


def _confirmation(row, booking, now):
    """The confirmation with its REQUEST invite, once the booking is confirmed."""
    _require(booking, row, ("confirmed",))
    return Action(messages.confirmation(booking, settings=mail_settings(),
                                        manage_url=manage_url(booking.uid), now=now))


def _pending_approval(row, booking, now):
    """Tell the client their request waits for approval."""
    _require(booking, row, ("pending",))
    return Action(messages.pending_approval(booking, settings=mail_settings(),
                                            manage_url=manage_url(booking.uid)))


def _reminder(row, booking, now):
    """Remind a confirmed booking that has not started yet."""
    _require(booking, row, ("confirmed",))
    if booking.scheduled_at <= now:
        raise Skip("the booking has already started")
    last, version = bool(row.payload.get("last")), row.payload.get("version")
    return Action(messages.reminder(booking, settings=mail_settings(),
                                    manage_url=manage_url(booking.uid)),
                  record=lambda fresh, _result, _now: _mark_reminded(fresh, version, last))


def _wait_for_meeting_step(booking: Booking, kind: Kind) -> None:
    """Defer while the booking's meeting step of this version is unfinished (its link may change)."""
    unfinished = db.session.scalar(db.select(OutboxMessage.id).where(
        OutboxMessage.booking_id == booking.id, OutboxMessage.kind == kind,
        OutboxMessage.status.in_((Status.PENDING, Status.SENDING)),
        OutboxMessage.key.endswith(f":v{booking.version}")))
    if unfinished is not None:
        raise Defer(f"waiting for {kind} of version {booking.version}")


def _mark_reminded(booking: Booking | None, version: int, last: bool) -> None:
    """Set reminder_sent after the last reminder of the booking's current version."""
    if last and booking is not None and booking.version == version:
        booking.reminder_sent = True


def _update(row, booking, now):
    """The moved invite (same UID, higher SEQUENCE) with the previous time."""
    _require(booking, row, ("pending", "confirmed"))
    _wait_for_meeting_step(booking, Kind.MEETING_UPDATE)
    return Action(messages.update(
        booking, settings=mail_settings(), manage_url=manage_url(booking.uid), now=now,
        previous_start=_instant(row.payload.get("previous_start")),
        previous_end=_instant(row.payload.get("previous_end"))))


def _cancellation(row, booking, now):
    """The cancellation with METHOD:CANCEL."""
    _require(booking, row, ("cancelled",))
    return Action(messages.cancellation(booking, settings=mail_settings(), now=now,
                                        book_url=current_app.config["BASE_URL"] + "/"))


def _admin_notice(build):
    """Return a handler telling the business about a booking with the builder `build`."""
    def handler(row, booking, now):
        """Send the notice to the admin address and the booking's hosts, if there is one."""
        settings = mail_settings()
        if not messages.notice_recipients(booking, settings.admin_email):
            raise Skip("no admin address is configured and no host to notify")
        admin_url = f"{current_app.config['BASE_URL']}/admin/bookings/{booking.id}"
        language = notice_language(messages.notice_recipients(booking, settings.admin_email))
        return Action(build(booking, settings=settings, admin_url=admin_url, language=language))
    return handler


def _follow_up(row, booking, now):
    """Send a BookingFollowUp once, recording sent/sent_at."""
    follow_up = db.session.get(BookingFollowUp, row.payload.get("follow_up_id"))
    if follow_up is None or follow_up.sent:
        raise Skip("the follow-up is gone or already sent")
    follow_up_id = follow_up.id
    return Action(messages.follow_up(booking, follow_up, settings=mail_settings(),
                                     manage_url=manage_url(booking.uid)),
                  record=lambda _fresh, _result, at: _mark_follow_up(follow_up_id, at))


def _mark_follow_up(follow_up_id: int, at: datetime) -> None:
    """Record that a follow-up went out."""
    follow_up = db.session.get(BookingFollowUp, follow_up_id)
    follow_up.sent, follow_up.sent_at = True, at


def _manage_links(row, booking, now):
    """Send the manage links of the address's upcoming bookings; an address without any gets nothing."""
    bookings = upcoming_bookings_of(row.recipient, now)
    if not bookings:
        raise Skip("the address has no upcoming bookings")
    # Write to the address on file, not to the spelling typed into the form.
    return Action(messages.manage_links(bookings[0].client_email,
                                        [(b, manage_url(b.uid)) for b in bookings],
                                        settings=mail_settings(), language=row.payload.get("language")))


def _meeting_link(row, booking, now):
    """Send the meeting link that was not ready when the confirmation went out."""
    _require(booking, row, ("confirmed",))
    if not booking.meeting_url:
        raise Skip("the booking has no meeting link")
    return Action(messages.meeting_link(booking, settings=mail_settings(),
                                        manage_url=manage_url(booking.uid)))


def _meeting_create(row, booking, now):
    """Create the meeting link; then confirm a booking whose type needs no approval.

    The confirmation never waits for a failing provider: the first failed attempt confirms
    without the link (the email says it follows) and the link gets an email of its own.
    """
    if not booking.is_active:
        raise Skip(f"the booking is {booking.status}")
    auto_confirm, booking_id, final = bool(row.payload.get("auto_confirm")), booking.id, _final(row)
    return Action(meeting=lambda: meetings.ensure_meeting(booking_id, now, final=final),
                  record=lambda fresh, _result, at: _confirm_after_meeting(fresh, auto_confirm, at),
                  on_failure=lambda fresh, at: _confirm_now(fresh, auto_confirm, at))


def _meeting_update(row, booking, now):
    """Move the meeting with the booking (the provider may hand back a new link)."""
    _require(booking, row, ("pending", "confirmed"))
    booking_id, final = booking.id, _final(row)
    return Action(meeting=lambda: meetings.update_meeting(booking_id, now, final=final))


def _meeting_delete(row, booking, now):
    """Delete the meeting of a cancelled booking at its provider."""
    _require(booking, row, ("cancelled",))
    booking_id, final = booking.id, _final(row)
    return Action(meeting=lambda: meetings.delete_meeting(booking_id, now, final=final))


def _final(row: OutboxMessage) -> bool:
    """Whether this is the provider's last attempt before the Jitsi fallback."""
    config = current_app.config
    return row.attempts >= min(config["MEETING_ATTEMPTS"], config["OUTBOX_MAX_ATTEMPTS"])


def _confirm_after_meeting(booking: Booking | None, auto_confirm: bool, now: datetime) -> None:
    """Confirm a booking whose type needs no approval once its meeting is stored (or send the link)."""
    if booking is None or not booking.is_active:
        return
    if booking.status == "confirmed":
        meeting_link_ready(booking, now)
    _confirm_now(booking, auto_confirm, now)


def _confirm_now(booking: Booking | None, auto_confirm: bool, now: datetime) -> None:
    """Confirm a pending booking whose type needs no approval, with its confirmation email."""
    if booking is None or not booking.is_active:
        return
    if auto_confirm and booking.status == "pending":
        booking.status, booking.confirmed_at = "confirmed", now
        booking_confirmed(booking, now)


def _webhook(row, booking, now):
    """POST the stored event to its endpoint, signed now; record the receiver's status code."""
    endpoint = db.session.get(WebhookEndpoint, row.payload.get("endpoint_id"))
    if endpoint is None:
        raise Skip("the webhook endpoint was removed")
    if not endpoint.is_active and row.payload.get("event") != TEST_EVENT:
        raise Skip("the webhook endpoint is inactive")
    delivery = Delivery(url=endpoint.url, secret=endpoint_secret(endpoint),
                        event_id=row.payload["body"]["id"], event_type=row.payload["event"],
                        body=encode(row.payload["body"]))
    allow_private, row_id = private_addresses_allowed(), row.id
    return Action(call=lambda: _deliver(delivery, int(now.timestamp()), allow_private),
                  record=lambda _booking, status, _at: _record_response(row_id, status))


def _deliver(delivery: Delivery, timestamp: int, allow_private: bool) -> int:
    """Deliver, reporting a failure the way the outbox retries (or fails) outside calls."""
    try:
        return deliver(delivery, timestamp=timestamp, allow_private=allow_private)
    except DeliveryError as exc:
        raise ProviderError(f"webhook: {exc.message}", exc.retryable, status=exc.status) from exc


def _record_response(row_id: int, status: int) -> None:
    """Keep the receiver's status code on the delivery row (the admin's delivery log shows it)."""
    row = db.session.get(OutboxMessage, row_id)
    row.payload = {**row.payload, "response_code": status}


def _calendar_refresh(row, booking, now):
    """Read the outside calendars of the booking's hosts again (whatever became of the booking)."""
    host_ids = list(row.payload.get("host_ids") or [])
    return Action(call=lambda: sum(calendar_sync.refresh_host(host_id, now) for host_id in host_ids))


def _calendar_event_put(row, booking, now):
    """Write the booking's event (this version) into the host's calendar; a newer version supersedes it."""
    _require(booking, row, ("pending", "confirmed"))
    where = _calendar_target(row)
    own = calendar_events.event_of(booking)
    return Action(call=lambda: _calendar_call(lambda: calendar_events.put(where, own, now)),
                  record=lambda fresh, written, at: _record_put(where, fresh, own, written, at))


def _record_put(where: calendar_events.Target, booking: Booking | None, own, written, now: datetime) -> None:
    """Keep the written event's id; one that landed in a calendar the admin has since left is removed again."""
    if booking is not None and calendar_events.moved_since(where):
        calendar_event_landed_elsewhere(booking, where, written.event_id, now)
    else:
        calendar_events.record_written(where.source_id, booking, own, written)


def _calendar_event_delete(row, booking, now):
    """Remove a cancelled booking's event from the host's calendar (already gone is done).

    It waits for a write of the booking still under way, whose event id it needs.
    """
    _require(booking, row, ("cancelled",))
    _wait_for_calendar_writes(booking)
    return _calendar_removal(_calendar_target(row), booking, now)


def _calendar_removal(where: calendar_events.Target, booking: Booking, now: datetime) -> Action:
    """Delete the booking's event where it is, then forget it."""
    reference, booking_id = booking_reference(booking.uid), booking.id
    return Action(call=lambda: _calendar_call(lambda: calendar_events.remove(where, reference, now)),
                  record=lambda _fresh, _result, _at: calendar_events.forget_written(where.source_id, booking_id))


def _calendar_event_anonymise(row, booking, now):
    """Reword an erased booking's event so it names no client, keeping its time and the owner's edits.

    A cancelled booking's event (its removal was cut short by the erasure) is removed instead;
    an event the owner deleted stays deleted. The source is reached even while paused.
    """
    if booking.erased_at is None:
        raise Skip("the booking's personal data was not erased")
    where = _calendar_target(row, paused_too=True)
    if where.event_id is None:
        raise Skip("no event of the booking is written there")
    if booking.status == "cancelled":
        return _calendar_removal(where, booking, now)
    own, booking_id = calendar_events.event_of(booking), booking.id
    return Action(call=lambda: _calendar_call(lambda: calendar_events.reword(where, own, now)),
                  record=lambda _fresh, found, _at: None if found else calendar_events.forget_written(
                      where.source_id, booking_id))


def _calendar_event_withdraw(row, booking, now):
    """Remove the booking's event from a calendar its host's source wrote into before the admin chose another."""
    payload = row.payload
    where = calendar_events.former_target(payload.get("source_id"), payload.get("account"), payload.get("calendar"),
                                          payload.get("event_id"))
    if where is None:
        raise Skip("the calendar's source was removed or now reaches another account")
    reference = booking_reference(booking.uid)
    return Action(call=lambda: _calendar_call(lambda: calendar_events.remove(where, reference, now)))


def _wait_for_calendar_writes(booking: Booking) -> None:
    """Defer while a write of the booking's event is claimed or waiting (it may still create the event)."""
    unfinished = db.session.scalar(db.select(OutboxMessage.id).where(
        OutboxMessage.booking_id == booking.id, OutboxMessage.kind == Kind.CALENDAR_EVENT_PUT,
        OutboxMessage.status.in_((Status.PENDING, Status.SENDING))))
    if unfinished is not None:
        raise Defer("waiting for the booking's calendar event write")


def _calendar_target(row: OutboxMessage, *, paused_too: bool = False) -> calendar_events.Target:
    """Return where the row writes, or skip when its source no longer takes bookings."""
    where = calendar_events.target(row.payload.get("source_id"), row.booking_id, paused_too=paused_too)
    if where is None:
        raise Skip("the calendar no longer takes bookings")
    return where


def _calendar_call(call):
    """Make a calendar server call, reporting a failure the way the outbox retries outside calls."""
    try:
        return call()
    except SourceError as exc:
        raise ProviderError(f"calendar: {exc.message}", True) from exc


def _instant(value: str | None) -> datetime | None:
    """Parse an ISO instant stored in a payload."""
    return datetime.fromisoformat(value) if value else None


#: what each kind does (a test checks every Kind has its action)
ACTIONS = {
    Kind.CONFIRMATION: _confirmation,
    Kind.PENDING_APPROVAL: _pending_approval,
    Kind.REMINDER: _reminder,
    Kind.UPDATE: _update,
    Kind.CANCELLATION: _cancellation,
    Kind.ADMIN_NEW_BOOKING: _admin_notice(messages.admin_new_booking),
    Kind.ADMIN_CANCELLATION: _admin_notice(messages.admin_cancellation),
    Kind.FOLLOW_UP: _follow_up,
    Kind.MANAGE_LINKS: _manage_links,
    Kind.MEETING_LINK: _meeting_link,
    Kind.MEETING_CREATE: _meeting_create,
    Kind.MEETING_UPDATE: _meeting_update,
    Kind.MEETING_DELETE: _meeting_delete,
    Kind.WEBHOOK: _webhook,
    Kind.CALENDAR_REFRESH: _calendar_refresh,
    Kind.CALENDAR_EVENT_PUT: _calendar_event_put,
    Kind.CALENDAR_EVENT_DELETE: _calendar_event_delete,
    Kind.CALENDAR_EVENT_ANONYMISE: _calendar_event_anonymise,
    Kind.CALENDAR_EVENT_WITHDRAW: _calendar_event_withdraw,
}
