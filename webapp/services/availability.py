"""Load the engine's inputs, per host, and ask it for free slots.

Hosts, rules and blocked dates come from the process's configuration cache
(`services/config_cache.py`); bookings and outside busy times are read fresh, in one query that
also returns the configuration version (so a view `@checked_after` needs no other query).
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Integer, bindparam, func, literal_column, null, select, union_all

from webapp.bounded_memo import BoundedMemo
from webapp.driver_sql import DriverStatement
from webapp.extensions import db
from webapp.models import Booking, BookingHost, ConfigVersion, Host, ServiceType
from webapp.models.booking import ACTIVE_STATUSES, MAX_BOOKING_SPAN
from webapp.models.calendar_source import ExternalBusy
from webapp.models.host import COLLECTIVE
from webapp.models.types import epoch_seconds, seconds_of
from webapp.scheduling import (
    Block,
    BookingWindow,
    BusySeconds,
    Combine,
    HostCalendar,
    Limits,
    Refusal,
    Slot,
    WeeklyRule,
    booking_window,
    combined_free_slots,
    combined_refusal,
    get_zone,
    refusals_by_host,
)
from webapp.services import config_cache
from webapp.services.settings import get_settings

ONE_DAY = timedelta(days=1)
#: the most results derived from one kept answer (e.g. its JSON in each time zone asked)
DERIVED_LIMIT = 16


@dataclass(frozen=True)
class Availability:
    """Free slots per service type in a range, and what the range holds (read-only: answers are kept)."""

    slots: dict[str, list[Slot]]
    #: dates blocked all day for every host considered
    blocked_dates: list[date]
    #: active bookings overlapping the range
    bookings_count: int
    #: what callers derive from this answer (a JSON body, slots by day), kept with it by their own keys
    derived: BoundedMemo = field(default_factory=lambda: BoundedMemo(DERIVED_LIMIT), compare=False, repr=False)


def limits_for(service: ServiceType, duration: int | None = None) -> Limits:
    """Return the engine limits of a service type for a chosen duration."""
    return _limits(duration or service.default_duration, service.buffer_before, service.buffer_after,
                   service.min_notice_minutes, service.max_days_ahead)


@lru_cache(maxsize=256)
def _limits(duration: int, buffer_before: int, buffer_after: int, min_notice: int, max_days_ahead: int) -> Limits:
    """Return the (immutable) engine limits for these minutes and days, built once per combination."""
    return Limits(duration=timedelta(minutes=duration), buffer_before=timedelta(minutes=buffer_before),
                  buffer_after=timedelta(minutes=buffer_after), min_notice=timedelta(minutes=min_notice),
                  max_days_ahead=max_days_ahead)


def active_service_types() -> list[ServiceType]:
    """Return the active service types in a stable order (cached configuration)."""
    return [config_cache.attach(service) for service in config_cache.current().service_types if service.is_active]


def get_service_type(key: str) -> ServiceType | None:
    """Return the active service type called `key`, if any (cached configuration)."""
    found = next((service for service in config_cache.current().service_types
                  if service.key == key and service.is_active), None)
    return config_cache.attach(found) if found is not None else None


def _hosts(services: list[ServiceType], config: config_cache.Snapshot | None = None
           ) -> tuple[dict[str, list[Host]], int | None]:
    """Return the active hosts giving each type and the default host's id (cached configuration).

    A type gives its listed hosts (those active); a type listing none is the default host's.
    """
    config = config or config_cache.current()
    default_id = config.default_host_id
    implicit = [default_id] if default_id is not None else []
    giving = {service.key: [config_cache.attach(config.hosts[host_id])
                            for host_id in config.listed_hosts.get(service.id, implicit)
                            if config.hosts[host_id].active]
              for service in services}
    return giving, default_id


def hosts_giving(services: list[ServiceType]) -> dict[str, list[Host]]:
    """Return, by type key, the active hosts who give each type, in id order (cached)."""
    return _hosts(services)[0]


def _rules(keys: list[str], host_ids: set[int]) -> dict[tuple[int, str], list[WeeklyRule]]:
    """Return the active weekly rules of the given types and hosts, by (host id, type) (cached)."""
    return {(host_id, key): rules for (host_id, key), rules in config_cache.current().rules.items()
            if key in keys and host_id in host_ids}


def _blocks(first: date, last: date, host_ids: set[int]) -> dict[int, list[Block]]:
    """Return the hosts' blocked dates between two dates (in their zones), by host id (cached)."""
    config = config_cache.current()
    return {host_id: config.blocks_between(host_id, first, last) for host_id in host_ids}


def _reach(config: config_cache.Snapshot) -> timedelta:
    """Return the longest buffer of any service type: the busy queries look that much wider.

    A booking clashes with [start, end) only through its own buffers or the candidate's, both
    at most this long, so one checked start reads the bookings around it, not half a day's.
    """
    return timedelta(minutes=max((max(service.buffer_before or 0, service.buffer_after or 0)
                                  for service in config.service_types), default=0))


def _fresh_statement(excluding: bool):
    """Build, once, the one query of an availability request: bookings, outside busy times, version.

    Core over the tables (no ORM compile per request), with bound parameters: `since`/`until`
    (the range widened by the longest buffer, `_reach`), `ends_before` (`until` plus the longest a
    booking lasts: the index is read from `since` to there, not to the last booking ahead),
    `hosts` (expanding), `default_host` (the owner of a booking without host links) and, when
    `excluding`, `exclude` (the booking being moved).
    The configuration version comes back in the same statement, so a request that used the
    cached configuration knows in one round trip whether it was current.
    """
    bookings, links = Booking.__table__, BookingHost.__table__
    outside, versions = ExternalBusy.__table__, ConfigVersion.__table__
    hosts, since, until = bindparam("hosts", expanding=True), bindparam("since"), bindparam("until")
    owner = func.coalesce(links.c.host_id, bindparam("default_host", type_=Integer))
    booked = (
        select(literal_column(str(BOOKED)).label("kind"), owner.label("host"), bookings.c.id,
               epoch_seconds(bookings.c.scheduled_at), epoch_seconds(bookings.c.ends_at), bookings.c.service_type)
        .select_from(bookings.outerjoin(links, links.c.booking_id == bookings.c.id))
        .where(bookings.c.status.in_(ACTIVE_STATUSES), owner.in_(hosts),
               bookings.c.scheduled_at < until, bookings.c.ends_at > since,
               bookings.c.ends_at < bindparam("ends_before"))
    )
    if excluding:
        booked = booked.where(bookings.c.id != bindparam("exclude"))
    busy_outside = (select(literal_column(str(OUTSIDE)), outside.c.host_id, null(),
                           epoch_seconds(outside.c.starts_at), epoch_seconds(outside.c.ends_at), null())
                    .where(outside.c.host_id.in_(hosts), outside.c.starts_at < until, outside.c.ends_at > since))
    version = select(literal_column(str(VERSION)), versions.c.version, null(), null(), null(), null()) \
        .where(versions.c.id == 1)
    return union_all(booked, busy_outside, version)


#: what a row of the fresh query is
BOOKED, OUTSIDE, VERSION = 0, 1, 2
_FRESH = {excluding: DriverStatement(_fresh_statement(excluding), expanding=("hosts",)) for excluding in (False, True)}


def fresh_params(since: datetime, until: datetime, host_ids, default_id: int | None) -> dict:
    """Return the fresh query's parameters for the hosts' rows overlapping [since, until)."""
    return {"hosts": sorted(host_ids), "default_host": default_id, "since": since, "until": until,
            "ends_before": until + MAX_BOOKING_SPAN}


def _fresh_rows(start: datetime, end: datetime, host_ids: set[int], default_id: int | None,
                exclude_booking_id: int | None, reach: timedelta) -> list[tuple]:
    """Return the one query's rows for the hosts near [start, end), as the driver gives them.

    Active bookings (with their types' buffers; a booking without host links, a row written in
    plain SQL, is the default host's), the outside calendars' cached busy times (filled by the
    worker, `services/calendar_sync`; no buffers of their own: the service's apply) and the
    configuration version, handed to `config_cache.seen_version`.
    """
    params = fresh_params(start - reach, end + reach, host_ids, default_id)
    if exclude_booking_id is not None:
        params["exclude"] = exclude_booking_id
    rows = _FRESH[exclude_booking_id is not None].read(db.session, db.engine, params)  # one fetch, raw cursor
    config_cache.seen_version(next((row[1] for row in reversed(rows) if row[0] == VERSION), None))
    return rows


def _busy(rows: list[tuple], start: datetime, end: datetime,
          config: config_cache.Snapshot) -> tuple[dict[int, list[BusySeconds]], set[int]]:
    """Return the fresh rows' busy times by host id (bookings with their types' buffers), and the
    ids of the bookings in [start, end)."""
    buffers = {service.key: ((service.buffer_before or 0) * 60, (service.buffer_after or 0) * 60)
               for service in config.service_types}
    busy: dict[int, list[BusySeconds]] = defaultdict(list)
    in_range: set[int] = set()
    first, stop = start.timestamp(), end.timestamp()
    for kind, host_id, booking_id, s, e, service_key in rows:
        if kind == VERSION:
            continue
        s, e = seconds_of(s), seconds_of(e)
        if kind == BOOKED:
            busy[host_id].append(BusySeconds(s, e, *buffers.get(service_key, (0, 0))))
            if s < stop and e > first:
                in_range.add(booking_id)
        elif kind == OUTSIDE:
            busy[host_id].append(BusySeconds(s, e))
    return busy, in_range


def business_zone() -> ZoneInfo:
    """Return the business zone, where the booking window is defined (hosts' hours are in theirs)."""
    return get_zone(get_settings().business_timezone)


def booking_window_for(service: ServiceType, now: datetime) -> BookingWindow:
    """Return when `service` can be booked at `now` (the one booking rule, see scheduling/rule.py)."""
    return booking_window(limits_for(service), business_zone(), now)


def combine_mode(service: ServiceType) -> Combine:
    """Return how a service's hosts' free times combine: everyone at once for collective ones."""
    return Combine.ALL if service.assignment == COLLECTIVE else Combine.ANY


@dataclass(frozen=True)
class _EngineInputs:
    """What the engine needs for a range: bookings and outside busy read fresh, the rest cached."""

    business_zone: ZoneInfo
    #: the hosts considered for each service type, in id order
    hosts: dict[str, list[Host]]
    rules: dict[tuple[int, str], list[WeeklyRule]]
    blocks: dict[int, list[Block]]
    busy: dict[int, list[BusySeconds]]
    #: ids of the active bookings overlapping the range
    in_range: set[int]

    def calendars(self, service: ServiceType) -> list[HostCalendar]:
        """Return the engine's per-host inputs for one service type."""
        return [HostCalendar(host.id, get_zone(host.timezone), self.rules.get((host.id, service.key), []),
                             self.blocks.get(host.id, []), self.busy.get(host.id, []))
                for host in self.hosts[service.key]]


@dataclass(frozen=True)
class _Considered:
    """Which hosts a request considers, from the cached configuration (no query but a move's)."""

    config: config_cache.Snapshot
    #: the hosts considered for each service type, in id order
    hosts: dict[str, list[Host]]
    host_ids: set[int]
    default_id: int | None


def _considered(services: list[ServiceType], exclude_booking_id: int | None,
                only: list[Host] | None) -> _Considered:
    """Return the hosts of each type, narrowed to `only` or to those a moved booking holds.

    `only` narrows every service type to those hosts (a host the client chose, a booking's own);
    without it, a booking being moved (`exclude_booking_id`) keeps to the hosts it holds (one
    more query), since a move keeps its hosts.
    """
    config = config_cache.current()
    hosts, default_id = _hosts(services, config)
    wanted = {host.id for host in only} if only is not None else _held_by(exclude_booking_id)
    if wanted is not None:
        hosts = {key: [host for host in listed if host.id in wanted] for key, listed in hosts.items()}
    return _Considered(config, hosts, {host.id for listed in hosts.values() for host in listed}, default_id)


def _inputs(services: list[ServiceType], start: datetime, end: datetime, considered: _Considered,
            rows: list[tuple]) -> _EngineInputs:
    """Return the engine's inputs for [start, end): the fresh rows with the cached rules and blocks."""
    zone, host_ids = business_zone(), considered.host_ids
    # a day either side: every host zone's dates of the range lie within
    first, last = start.astimezone(zone).date() - ONE_DAY, end.astimezone(zone).date() + ONE_DAY
    busy, in_range = _busy(rows, start, end, considered.config)
    return _EngineInputs(business_zone=zone, hosts=considered.hosts,
                         rules=_rules([service.key for service in services], host_ids),
                         blocks=_blocks(first, last, host_ids), busy=busy, in_range=in_range)


def _read(services: list[ServiceType], start: datetime, end: datetime, exclude_booking_id: int | None,
          only: list[Host] | None) -> tuple[_Considered, list[tuple]]:
    """Return the hosts considered (cached) and the one query's rows for them near [start, end)."""
    considered = _considered(services, exclude_booking_id, only)
    return considered, _fresh_rows(start, end, considered.host_ids, considered.default_id, exclude_booking_id,
                                   _reach(considered.config))


def _load(services: list[ServiceType], start: datetime, end: datetime, exclude_booking_id: int | None,
          *, only: list[Host] | None = None) -> _EngineInputs:
    """Load hosts, rules, blocks (cached), bookings and outside busy times (one query) for [start, end)."""
    return _inputs(services, start, end, *_read(services, start, end, exclude_booking_id, only))


def _held_by(booking_id: int | None) -> set[int] | None:
    """Return the ids of the hosts a booking holds; None for no booking or one stored without hosts."""
    if booking_id is None:
        return None
    held = set(db.session.scalars(db.select(BookingHost.host_id).where(BookingHost.booking_id == booking_id)))
    return held or None


def _closed_days(inputs: _EngineInputs) -> list[date]:
    """Return the dates blocked all day for every host considered (for one host: its own)."""
    host_ids = {host.id for listed in inputs.hosts.values() for host in listed}
    closed = [{block.day for block in inputs.blocks.get(host_id, []) if block.all_day} for host_id in host_ids]
    return sorted(set.intersection(*closed)) if closed else []


def find_availability(services: list[ServiceType], start: datetime, end: datetime,
                      now: datetime, *, duration: int | None = None,
                      exclude_booking_id: int | None = None, host: Host | None = None) -> Availability:
    """Return free slots of each service type starting in [start, end).

    Without `host`, each type's hosts combine (any of them free; all of them for collective
    types); with `host`, only that host's own free times (empty for types it does not give).
    One query (bookings, outside busy times and the configuration version), whatever the range
    or the counts. The answer is a function of that query's rows, the cached configuration and
    the booking windows at `now`: the same rows, configuration and windows give the stored answer
    (`Snapshot.computed`; `AVAILABILITY_MEMO = False` computes every time).
    """
    considered, rows = _read(services, start, end, exclude_booking_id, [host] if host else None)

    def compute() -> Availability:
        """Run the engine on the rows read."""
        inputs = _inputs(services, start, end, considered, rows)
        slots = {
            service.key: combined_free_slots(inputs.calendars(service), combine=combine_mode(service),
                                             limits=limits_for(service, duration),
                                             business_zone=inputs.business_zone, start=start, end=end, now=now)
            for service in services
        }
        return Availability(slots=slots, blocked_dates=_closed_days(inputs), bookings_count=len(inputs.in_range))

    if not current_app.config.get("AVAILABILITY_MEMO", True):
        return compute()
    key = ("availability", tuple(service.key for service in services), start, end, duration,
           exclude_booking_id, tuple(sorted(considered.host_ids)), _windows(services, start, now), tuple(rows))
    return considered.config.computed.get_or_compute(key, compute)


def _windows(services: list[ServiceType], start: datetime, now: datetime) -> tuple:
    """Return what the engine reads of `now` for these types: each window's first second from `start`, last day.

    The engine compares whole seconds (`scheduling/slots.py`), so two instants giving the same
    key give the same free slots; for a range wholly after the minimum notice the key stays the
    same second after second.
    """
    zone, first = business_zone(), int(start.timestamp())  # the zone read once (a query outside a request)
    return tuple((max(first, int(window.earliest.timestamp())), window.last_day)
                 for window in (booking_window(limits_for(service), zone, now) for service in services))


def refusals_for_hosts(service: ServiceType, start: datetime, duration: int, now: datetime, *,
                       only: list[Host] | None = None,
                       exclude_booking_id: int | None = None) -> dict[Host, Refusal | None]:
    """Return, for each of the service's hosts (or `only` those), why it cannot take `start` (None: free)."""
    inputs = _load([service], start, start + timedelta(minutes=duration), exclude_booking_id, only=only)
    by_id = refusals_by_host(start, inputs.calendars(service), limits=limits_for(service, duration),
                             business_zone=inputs.business_zone, now=now)
    return {host: by_id[host.id] for host in inputs.hosts[service.key]}


def why_slot_not_free(service: ServiceType, start: datetime, duration: int, now: datetime,
                      *, exclude_booking_id: int | None = None,
                      only: list[Host] | None = None) -> Refusal | None:
    """Return why `service` cannot be booked at `start` for `duration` minutes, or None if it can."""
    refusals = refusals_for_hosts(service, start, duration, now, only=only,
                                  exclude_booking_id=exclude_booking_id)
    return combined_refusal({host.id: refusal for host, refusal in refusals.items()}, combine_mode(service))
