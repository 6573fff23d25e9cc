"""Booking use cases: create, cancel, reschedule, confirm, complete; one transaction each."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, update
from sqlalchemy.orm.attributes import set_committed_value

from webapp import outbox
from webapp.database import ExclusionViolation, booking_write_transaction, keep_loaded, lock_hosts
from webapp.driver_sql import DriverStatement
from webapp.extensions import db
from webapp.mail.language import language_or_default
from webapp.models import Booking, BookingHost, Host, ServiceType
from webapp.models.booking import new_uid
from webapp.models.host import COLLECTIVE
from webapp.scheduling import Combine, Refusal, combined_refusal, is_valid_zone
from webapp.services.assignment import pick_round_robin
from webapp.services.availability import (
    booking_window_for,
    get_service_type,
    refusals_for_hosts,
    why_slot_not_free,
)
from webapp.services.booking_insert import insert_booking
from webapp.services.consent import consent_record
from webapp.services.errors import (
    NotAllowed,
    NotFound,
    SlotTaken,
    SlotUnavailable,
    ValidationFailed,
)
from webapp.services.hosts import default_host, host_for_service, hosts_of
from webapp.services.settings import enabled_providers, get_settings
from webapp.services.tokens import manage_token, token_hash
from webapp.services.validation import FieldErrors

TAKEN_MESSAGE = _l("That time was just taken. Please choose another.")
UNAVAILABLE_MESSAGE = _l("That time is not available. Please choose another.")
FIX_FIELDS = _l("Please correct the highlighted fields.")


def status_word(status: str) -> str:
    """Return a booking status as a word in a client's sentence, in the current language ("cancelled")."""
    words = {"pending": _("pending"), "confirmed": _("confirmed"), "cancelled": _("cancelled"),
             "completed": _("completed"), "no_show": _("missed")}
    return words.get(status, status.replace("_", " "))


@dataclass(frozen=True)
class BookingRequest:
    """What a client asks for, from any channel; `scheduled_at` is aware."""

    service_type: str
    scheduled_at: datetime
    timezone: str
    client_name: str
    client_email: str
    title: str | None = None
    duration_minutes: int | None = None
    client_phone: str | None = None
    client_company: str | None = None
    description: str | None = None
    client_notes: str | None = None
    meeting_provider: str | None = None
    #: the host the client chose (slug or id); None: any host (or all, for collective types)
    host: str | int | None = None
    #: the optional marketing box was ticked (recorded with its time and text version)
    marketing_consent: bool = False
    #: the client's language (webapp.mail.language.LANGUAGES); anything else is stored as English
    locale: str | None = None


@dataclass(frozen=True)
class CreatedBooking:
    """A stored booking and the manage token its client needs (never stored)."""

    booking: Booking
    manage_token: str


def _window_message(service: ServiceType, refusal: Refusal) -> str:
    """Return the client's message for a start the booking window refuses."""
    if refusal is Refusal.PAST:
        return _("That time is in the past.")
    if refusal is Refusal.SHORT_NOTICE:
        return _("Bookings need at least %(hours)s hours' notice.", hours=format(service.min_notice_minutes / 60, "g"))
    return _("Bookings open at most %(days)s days ahead.", days=service.max_days_ahead)


def _check_time(errors: FieldErrors, service: ServiceType, start: datetime, now: datetime):
    """Explain why a start time is outside the service's booking window, if it is."""
    if start.tzinfo is None:
        errors["scheduled_at"] = _("Give a time zone or offset for the time.")
        return
    refusal = booking_window_for(service, now).refusal(start)
    if refusal is not None:
        errors["scheduled_at"] = _window_message(service, refusal)


def _raise_for(refusal: Refusal | None) -> None:
    """Raise SlotUnavailable for a start never offered, SlotTaken for one a booking holds."""
    if refusal is Refusal.TAKEN:
        raise SlotTaken(str(TAKEN_MESSAGE))
    if refusal is not None:
        raise SlotUnavailable(str(UNAVAILABLE_MESSAGE))


def _ensure_free(service: ServiceType, start: datetime, duration: int, now: datetime, *,
                 hosts: list[Host], exclude_booking_id: int | None = None) -> None:
    """Raise SlotUnavailable or SlotTaken unless `hosts` (all of them, for collective types) are free."""
    _raise_for(why_slot_not_free(service, start, duration, now, only=hosts,
                                 exclude_booking_id=exclude_booking_id))


class _HostsLost(Exception):
    """The hosts chosen for a booking were taken by a concurrent booking before it was stored."""

    def __init__(self, hosts: list[Host]):
        super().__init__("hosts lost to a concurrent booking")
        self.host_ids = {host.id for host in hosts}


def validate_request(req: BookingRequest, now: datetime) -> tuple[ServiceType, dict]:
    """Check a request and return its service type and clean booking fields."""
    errors = FieldErrors()
    service = get_service_type(req.service_type) if isinstance(req.service_type, str) else None
    if service is None:
        errors["service_type"] = _("Unknown service type.")
    clean = {
        "client_name": errors.text("client_name", req.client_name, required=True, max_length=200),
        "client_email": errors.email("client_email", req.client_email),
        "client_phone": errors.phone("client_phone", req.client_phone),
        "client_company": errors.text("client_company", req.client_company, required=False, max_length=200),
        "title": errors.text("title", req.title, required=False, max_length=200),
        "description": errors.text("description", req.description, required=False,
                                   max_length=5000, multiline=True),
        "client_notes": errors.text("client_notes", req.client_notes, required=False,
                                    max_length=5000, multiline=True),
    }
    if not (isinstance(req.timezone, str) and is_valid_zone(req.timezone)):
        errors["timezone"] = _("Unknown time zone; use an IANA name such as Europe/Rome.")
    providers = enabled_providers()
    provider = req.meeting_provider or providers[0]
    if provider not in providers:
        errors["meeting_provider"] = _("Choose one of: %(choices)s.", choices=", ".join(providers))
    if service is not None:
        duration = req.duration_minutes or service.default_duration
        if duration not in service.durations:
            allowed = ", ".join(str(d) for d in service.durations)
            errors["duration_minutes"] = _("Choose a duration of %(allowed)s minutes.", allowed=allowed)
        _check_time(errors, service, req.scheduled_at, now)
    if errors:
        raise ValidationFailed(str(FIX_FIELDS), dict(errors))
    clean.update(service_type=service.key, title=clean["title"] or service.name,
                 duration_minutes=duration, timezone=req.timezone, meeting_provider=provider,
                 locale=language_or_default(req.locale, get_settings().default_language))
    return service, clean


def create_booking(req: BookingRequest, now: datetime) -> CreatedBooking:
    """Book a free slot for a client; raise ValidationFailed, SlotTaken or SlotUnavailable.

    The host is the one the client named, every host of a collective type, or else the
    round-robin choice among the free hosts (`services/assignment.py`). When a concurrent
    booking takes the chosen host first, another free host is tried before answering "taken".
    """
    lost: set[int] = set()
    while True:
        try:
            return _create_once(req, now, lost)
        except _HostsLost as exc:
            if req.host is not None or not exc.host_ids - lost:
                raise SlotTaken(str(TAKEN_MESSAGE)) from None
            lost |= exc.host_ids


def _create_once(req: BookingRequest, now: datetime, lost: set[int]) -> CreatedBooking:
    """One attempt: choose the hosts, store, lock them, check, hold; raise _HostsLost if beaten.

    The rows are written before the host locks are taken, so a lock is held only for the
    check, making the host links active, and the commit: a writer that locks after this one
    sees its booking once it commits, one that locked first has committed (or given up) when
    this one checks. The links are written inactive and made active under the lock, so the
    `bookings_no_overlap` constraint never sees two writers of one host at once (concurrent
    overlapping inserts would wait on each other there, and could deadlock).
    """
    known: list[Host] | None = None
    hosts: list[Host] = []
    try:
        with booking_write_transaction() as session:
            service, clean = validate_request(req, now)
            start = req.scheduled_at.astimezone(timezone.utc)
            duration = clean["duration_minutes"]
            known = _known_hosts(service, req.host)
            hosts = known if known is not None else _choose_free_host(service, start, duration, now, lost)
            booking, token = _store(service, req, clean, start, hosts, now)
            locked = lock_hosts(session, [host.id for host in hosts])
            # a round-robin choice was checked before the lock (SQLite: under its lock already)
            if known is not None or locked:
                refusal = why_slot_not_free(service, start, duration, now, only=hosts,
                                            exclude_booking_id=booking.id)
                if refusal is not None and known is None:
                    raise _HostsLost(hosts)
                _raise_for(refusal)
            _activate(session, booking)
            keep_loaded(session, [booking, *booking.host_links], hosts)  # the answer reads them: no read-back
    except ExclusionViolation:
        if known is not None:
            raise SlotTaken(TAKEN_MESSAGE) from None
        raise _HostsLost(hosts) from None
    return CreatedBooking(booking, token)


def _store(service: ServiceType, req: BookingRequest, clean: dict, start: datetime, hosts: list[Host],
           now: datetime) -> tuple[Booking, str]:
    """Add the booking, its host links and its outbox rows to the session; return it and its token."""
    booking = Booking(scheduled_at=start, status="pending", **clean,
                      **consent_record(req.marketing_consent is True, now),
                      ends_at=start + timedelta(minutes=clean["duration_minutes"]))
    booking.hold_hosts(hosts)
    for link in booking.host_links:
        link.active = False  # until the hosts' locks are held and the check passed
    token = _assign_manage_token(booking)
    insert_booking(db.session, booking)  # now: the booking's id names its outbox rows
    outbox.booking_created(booking, service, now)  # inserted at once, before the host locks
    return booking, token


_LINKS = BookingHost.__table__
_ACTIVATE = DriverStatement(update(_LINKS).where(_LINKS.c.booking_id == bindparam("booking"))
                            .values(active=bindparam("active", type_=_LINKS.c.active.type)))


def _activate(session, booking: Booking) -> None:
    """Make a new booking's host links active (its hosts' locks are held, the check passed).

    One UPDATE on the driver's cursor (`driver_sql`): the links are clean ORM rows, so no flush
    has to find them dirty first, and SQLAlchemy's statement path (~0.3 ms of CPU) is skipped; an
    overlap the exclusion constraint refuses is still SQLAlchemy's `IntegrityError`.
    """
    _ACTIVATE.run(session.connection(), {"booking": booking.id, "active": booking.is_active})
    for link in booking.host_links:
        set_committed_value(link, "active", booking.is_active)


def _known_hosts(service: ServiceType, host_key: str | int | None) -> list[Host] | None:
    """Return the hosts a booking holds when no booking needs reading to know them, else None.

    Known: the host the client named, every host of a collective type, a type's only host.
    Unknown: a round-robin choice among several (`_choose_free_host`).
    """
    if host_key is not None:
        return [host_for_service(service, host_key)]
    hosts = hosts_of(service)
    return hosts if service.assignment == COLLECTIVE or len(hosts) <= 1 else None


def _choose_free_host(service: ServiceType, start: datetime, duration: int, now: datetime,
                      lost: set[int]) -> list[Host]:
    """Return the round-robin host among those free at `start`; raise SlotTaken/SlotUnavailable.

    Skips hosts in `lost` (beaten by a concurrent booking in an earlier attempt).
    """
    refusals = refusals_for_hosts(service, start, duration, now)
    free = [host for host, refusal in refusals.items() if refusal is None and host.id not in lost]
    if not free:
        by_id = {host.id: refusal for host, refusal in refusals.items()}
        _raise_for(Refusal.TAKEN if lost else combined_refusal(by_id, Combine.ANY))
    return [pick_round_robin(free, start)]


def _assign_manage_token(booking: Booking) -> str:
    """Give a new booking its uid and manage-token hash; return the token."""
    booking.uid = booking.uid or new_uid()
    token = manage_token(booking.uid)
    booking.manage_token_hash = token_hash(token)
    return token


def booking_by_token(token: str) -> Booking | None:
    """Return the booking a manage token opens, or None."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    return db.session.scalar(db.select(Booking).where(Booking.manage_token_hash == token_hash(token)))


#: the actor's own rule, checked on the fresh booking inside the transaction: a refusal or None
Policy = Callable[[Booking], str | None]


def _enforce(policy: Policy | None, booking: Booking) -> None:
    """Refuse the change if the actor's policy says no."""
    refusal = policy(booking) if policy else None
    if refusal:
        raise NotAllowed(refusal)


def cancel_booking(booking_id: int, reason: str | None, now: datetime, *,
                   policy: Policy | None = None, locale: str | None = None) -> Booking:
    """Cancel an active booking, freeing its time; cancelling twice changes nothing.

    `locale`: the language the client now uses (their manage page's), which its emails follow.
    """
    errors = FieldErrors()
    reason = errors.text("cancellation_reason", reason, required=False, max_length=2000,
                         multiline=True)
    if errors:
        raise ValidationFailed(str(FIX_FIELDS), dict(errors))
    with booking_write_transaction() as session:
        booking = _locked(session, booking_id)
        _enforce(policy, booking)
        if booking.status == "cancelled":
            return booking
        if not booking.is_active:
            raise NotAllowed(_("A %(status)s booking cannot be cancelled.", status=status_word(booking.status)))
        _follow_language(booking, locale)
        booking.status = "cancelled"
        booking.cancelled_at = now
        booking.cancellation_reason = reason
        booking.version += 1
        outbox.booking_cancelled(booking, now)
    return booking


def reschedule_booking(booking_id: int, new_start: datetime, now: datetime, *,
                       duration_minutes: int | None = None, policy: Policy | None = None,
                       locale: str | None = None) -> Booking:
    """Move an active booking to a free time; on any failure it stays where it was.

    `locale`: the language the client now uses (their manage page's), which its emails follow.
    """
    try:
        with booking_write_transaction() as session:
            booking = _locked(session, booking_id)
            if not booking.is_active:
                raise NotAllowed(_("A %(status)s booking cannot be moved.", status=status_word(booking.status)))
            _enforce(policy, booking)
            service = get_service_type(booking.service_type)
            if service is None:
                raise NotAllowed(_("This service can no longer be booked."))
            duration = duration_minutes or booking.duration_minutes
            errors = FieldErrors()
            _check_time(errors, service, new_start, now)
            if duration not in service.durations:
                errors["duration_minutes"] = _("That duration is not offered for this service.")
            if errors:
                raise ValidationFailed(_("Please choose another time."), dict(errors))
            new_start = new_start.astimezone(timezone.utc)
            hosts = _hosts_held(booking)
            lock_hosts(session, [host.id for host in hosts])
            _ensure_free(service, new_start, duration, now, hosts=hosts, exclude_booking_id=booking.id)
            previous = booking.scheduled_at, booking.ends_at
            booking.scheduled_at = new_start
            booking.duration_minutes = duration
            booking.ends_at = new_start + timedelta(minutes=duration)
            booking.reminder_sent = False
            _follow_language(booking, locale)
            booking.version += 1
            outbox.booking_rescheduled(booking, *previous, now)
    except ExclusionViolation:
        raise SlotTaken(str(TAKEN_MESSAGE)) from None
    return booking


def _follow_language(booking: Booking, locale: str | None) -> None:
    """Store the client's current language on the booking (None: the actor is not the client)."""
    if locale is not None:
        booking.locale = language_or_default(locale, booking.locale)


def _locked(session, booking_id: int) -> Booking:
    """Return the booking, its row locked until the transaction ends, or raise NotFound.

    Two changes of one booking (a cancel and a move) then queue instead of mixing.
    """
    booking = session.get(Booking, booking_id, with_for_update=True, populate_existing=True)
    if booking is None:
        raise NotFound(_("No such booking."))
    return booking


def _hosts_held(booking: Booking) -> list[Host]:
    """Return the hosts a booking keeps when it moves: its own (a row stored without: the default host).

    A moved booking keeps its host(s), round-robin ones too: the client met, or was told, who.
    """
    if not booking.host_links:
        booking.hold_hosts([host for host in [default_host()] if host])
    return booking.hosts


def _transition(booking_id: int, allowed_from: tuple[str, ...], to: str, stamp: str | None,
                now: datetime, then=None) -> Booking:
    """Move a booking between statuses, refusing transitions that make no sense."""
    with booking_write_transaction() as session:
        booking = _locked(session, booking_id)
        if booking.status == to:
            return booking
        if booking.status not in allowed_from:
            raise NotAllowed(f"A {booking.status} booking cannot become {to}.")
        booking.status = to
        if stamp:
            setattr(booking, stamp, now)
        if then:
            then(booking, now)
    return booking


def confirm_booking(booking_id: int, now: datetime) -> Booking:
    """Confirm a pending booking (an admin's approval, or automatic)."""
    return _transition(booking_id, ("pending",), "confirmed", "confirmed_at", now,
                       outbox.booking_confirmed)


def complete_booking(booking_id: int, now: datetime) -> Booking:
    """Mark a booking whose meeting took place as completed."""
    return _transition(booking_id, ("confirmed", "pending"), "completed", "completed_at", now,
                       outbox.booking_completed)


def mark_no_show(booking_id: int, now: datetime) -> Booking:
    """Record that the client did not come."""
    return _transition(booking_id, ("confirmed", "pending", "completed"), "no_show", None, now)
