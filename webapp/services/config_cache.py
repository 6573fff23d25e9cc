"""The stable configuration read once per process and reused until its version number moves.

Service types, hosts and their service links, weekly rules, blocked dates, settings, webhook
endpoints, the connected meeting providers and the calendar sources' writing set-up change
only when an admin changes them, yet every availability request (or booking) needs them. Each process keeps
one `Snapshot` per app and, once per unit of work (a request), reads one number,
`config_version.version`; only when it differs from the snapshot's does it load again.

The number moves in the same transaction as the change: session events (`init_app`) watch the
models below (of `PARTLY_WATCHED` ones, only the columns named: the rest is status the worker
writes), whatever code path flushes them, ORM bulk statements on them and raw SQL naming their
tables, so no admin path can forget it. Core statements on a bare connection bypass the
session and must call `bump(session)` themselves.

Cached ORM objects are detached; `attach` gives the session its own copy without a query
(`Session.merge(load=False)`), so callers may use them in writes as before.
"""
import re
import threading
import weakref
from bisect import bisect_left, bisect_right
from collections import defaultdict
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

from flask import Flask, current_app
from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session

from webapp.bounded_memo import BoundedMemo
from webapp.driver_sql import DriverStatement
from webapp.extensions import db
from webapp.models import (
    AvailabilitySlot,
    BlockedDate,
    CalendarSource,
    ConfigVersion,
    Host,
    ProviderIntegration,
    ServiceType,
    ServiceTypeHost,
    Setting,
    WebhookEndpoint,
)
from webapp.scheduling import Block, WeeklyRule

#: the models whose rows make up the stable configuration
WATCHED = (ServiceType, Host, ServiceTypeHost, AvailabilitySlot, BlockedDate, Setting, WebhookEndpoint)
#: models of which only these columns are configuration (the worker writes the others: tokens, sync status)
PARTLY_WATCHED = {ProviderIntegration: frozenset({"provider", "status"}),
                  CalendarSource: frozenset({"host_id", "kind", "write_calendar", "is_active"})}
_WATCHED_NAMES = frozenset(model.__tablename__ for model in WATCHED)
_PARTLY_WATCHED_NAMES = {model.__tablename__: columns for model, columns in PARTLY_WATCHED.items()}
_WATCHED_TABLES = re.compile(r"\b(" + "|".join([*_WATCHED_NAMES, *_PARTLY_WATCHED_NAMES]) + r")\b", re.IGNORECASE)
_ALL_WATCHED = (*WATCHED, *PARTLY_WATCHED)
#: the most results derived from one snapshot kept with it (`Snapshot.computed`; an availability
#: answer's key holds its rows: ~250 bytes each, so a 31-day range with 1,000 bookings ~0.25 MB)
COMPUTED_LIMIT = 128
#: the key in `Session.info` marking a transaction that changed the configuration
CHANGED = "config_changed"


@dataclass(frozen=True)
class Snapshot:
    """The stable configuration as of one version (detached rows, plain engine inputs)."""

    version: int
    #: setting rows by key (unknown keys included; `services.settings` picks its own)
    stored_settings: dict[str, object]
    #: every service type, in id order
    service_types: tuple[ServiceType, ...]
    #: every host, by id
    hosts: dict[int, Host]
    default_host_id: int | None
    #: the host ids each service type lists, by service type id
    listed_hosts: dict[int, list[int]]
    #: active weekly rules by (host id, service type key); NULL hosts are the default's
    rules: dict[tuple[int, str], list[WeeklyRule]]
    #: blocked dates by host id, sorted by day, with their days alongside for bisecting
    blocks: dict[int, tuple[list[date], list[Block]]]
    #: the meeting providers with a connected account
    connected_providers: frozenset[str]
    #: the active webhook endpoints, in id order
    webhook_endpoints: tuple[WebhookEndpoint, ...]
    #: the active calendar sources of each host, in id order: (source id, kind, calendar written into)
    calendar_sources: dict[int, tuple[tuple[int, str, str | None], ...]]
    #: results computed from this configuration and other inputs named in their keys (they go with it)
    computed: BoundedMemo = field(default_factory=lambda: BoundedMemo(COMPUTED_LIMIT), compare=False, repr=False)

    def blocks_between(self, host_id: int, first: date, last: date) -> list[Block]:
        """Return a host's blocks on the days from `first` to `last` inclusive."""
        days, blocks = self.blocks.get(host_id, ([], []))
        return blocks[bisect_left(days, first):bisect_right(days, last)]


#: every request that writes reads it first: straight on the driver's cursor (`driver_sql`)
_VERSION = DriverStatement(select(ConfigVersion.version).where(ConfigVersion.id == 1))


def read_version(session: Session) -> int:
    """Return the current configuration version (one query; 0 before any change)."""
    rows = _VERSION.all(session.connection(), {})
    return (rows[0][0] if rows else 0) or 0


def _load(session: Session, version: int) -> Snapshot:
    """Load every part of the configuration (nine queries) into detached objects."""
    with Session(bind=session.connection(), expire_on_commit=False) as reader:  # same transaction
        services = tuple(reader.scalars(select(ServiceType).order_by(ServiceType.id)))
        hosts = {host.id: host for host in reader.scalars(select(Host).order_by(Host.id))}
        listed: dict[int, list[int]] = defaultdict(list)
        for service_id, host_id in reader.execute(select(ServiceTypeHost.service_type_id, ServiceTypeHost.host_id)
                                                  .order_by(ServiceTypeHost.host_id)):
            listed[service_id].append(host_id)
        default_id = next((host.id for host in hosts.values() if host.is_default), None)
        rules: dict[tuple[int, str], list[WeeklyRule]] = defaultdict(list)
        for host_id, key, day, start, end, step in reader.execute(
                select(AvailabilitySlot.host_id, AvailabilitySlot.service_type, AvailabilitySlot.day_of_week,
                       AvailabilitySlot.start_time, AvailabilitySlot.end_time, AvailabilitySlot.slot_duration)
                .where(AvailabilitySlot.is_active).order_by(AvailabilitySlot.id)):
            rules[host_id if host_id is not None else default_id, key].append(WeeklyRule(day, start, end, step))
        by_host: dict[int, list[Block]] = defaultdict(list)
        for host_id, day, all_day, start, end in reader.execute(
                select(BlockedDate.host_id, BlockedDate.blocked_date, BlockedDate.all_day, BlockedDate.start_time,
                       BlockedDate.end_time).order_by(BlockedDate.blocked_date, BlockedDate.id)):
            by_host[host_id if host_id is not None else default_id].append(
                Block(day, None if all_day else start, None if all_day else end))
        stored = {row.key: row.value for row in reader.scalars(select(Setting))}
        connected = frozenset(reader.scalars(select(ProviderIntegration.provider)
                                             .where(ProviderIntegration.status == "connected")))
        endpoints = tuple(reader.scalars(select(WebhookEndpoint).where(WebhookEndpoint.is_active)
                                         .order_by(WebhookEndpoint.id)))
        sources: dict[int, list[tuple[int, str, str | None]]] = defaultdict(list)
        for source_id, host_id, kind, calendar in reader.execute(
                select(CalendarSource.id, CalendarSource.host_id, CalendarSource.kind, CalendarSource.write_calendar)
                .where(CalendarSource.is_active).order_by(CalendarSource.id)):
            sources[host_id].append((source_id, kind, calendar))
    return Snapshot(version=version, stored_settings=stored, service_types=services, hosts=hosts,
                    default_host_id=default_id, listed_hosts=dict(listed), rules=dict(rules),
                    blocks={host_id: ([block.day for block in blocks], blocks) for host_id, blocks in by_host.items()},
                    connected_providers=connected, webhook_endpoints=endpoints,
                    calendar_sources={host_id: tuple(rows) for host_id, rows in sources.items()})


class _ProcessCache:
    """One app's snapshot in this process, replaced when the version moves."""

    def __init__(self) -> None:
        self.snapshot: Snapshot | None = None
        self.lock = threading.Lock()

    def get(self, session: Session, version: int) -> Snapshot:
        """Return the snapshot of `version`, loading it when the cached one is another."""
        if session.info.get(CHANGED):  # this transaction changed it, uncommitted: never cache that
            return _load(session, version)
        kept = self.snapshot
        if kept is not None and kept.version == version:
            return kept
        with self.lock:  # one thread loads; the others wait and reuse it
            kept = self.snapshot
            if kept is None or kept.version != version:
                kept = self.snapshot = _load(session, version)
        return kept

    def forget(self) -> None:
        """Drop the snapshot (this process has just committed a change)."""
        self.snapshot = None


class _Unit:
    """What one unit of work (a request) has settled on."""

    def __init__(self) -> None:
        #: the snapshot the unit uses (None: none asked for yet)
        self.snapshot: Snapshot | None = None
        #: True once the version was read before the snapshot was used (the default way)
        self.confirmed = False
        #: a read-only view may use the process's snapshot first and check its version afterwards
        self.optimistic = False
        #: the version a query read alongside its rows (`seen_version`), if any did
        self.seen: int | None = None


#: the unit of work (a request) in this context; None outside a unit: ask every time
_unit: ContextVar[_Unit | None] = ContextVar("config_unit", default=None)
_caches: "weakref.WeakSet[_ProcessCache]" = weakref.WeakSet()


def start_unit() -> None:
    """From now on in this context, read the version at most once (until `stop_unit`)."""
    _unit.set(_Unit())


def stop_unit() -> None:
    """Leave the unit of work; later reads check the version every time."""
    _unit.set(None)


def _cache(app: Flask) -> _ProcessCache:
    """Return `app`'s process cache (each app, e.g. each test's, has its own database)."""
    return app.extensions["config_cache"]


def current() -> Snapshot:
    """Return the stable configuration: one query (the version) per unit of work when unchanged.

    In an optimistic unit (`begin_optimistic`) the process's snapshot is used at once; its
    version is checked later, by the query that reads the bookings or when the unit ends.
    """
    unit = _unit.get()
    if unit is not None and unit.snapshot is not None:
        return unit.snapshot
    cache = _cache(current_app)
    if unit is not None and unit.optimistic and cache.snapshot is not None and not _changed_here():
        unit.snapshot = cache.snapshot
        return unit.snapshot
    session = db.session()
    snapshot = cache.get(session, read_version(session))
    if unit is not None and not session.info.get(CHANGED):
        unit.snapshot, unit.confirmed = snapshot, True
    return snapshot


def _changed_here() -> bool:
    """Tell whether this context's session changed the configuration (no session yet: no, and none is made)."""
    return db.session.registry.has() and bool(db.session().info.get(CHANGED))


def seen_version(version: int | None) -> None:
    """Note the version a query read together with its rows (no row: 0, as `read_version`)."""
    unit = _unit.get()
    if unit is not None and unit.snapshot is not None and unit.seen is None:
        unit.seen = version or 0


def begin_optimistic() -> bool:
    """Let this unit use the process's snapshot before checking its version; False outside a unit."""
    unit = _unit.get()
    if unit is None:
        return False
    unit.optimistic = True
    return True


def end_optimistic() -> bool:
    """End the optimistic part: True if what it used is still current, else forget it (False).

    Current when the version was read first, or when the version read with the rows (else
    read now: one query) is the snapshot's. On False the caller runs its read-only work
    again, which then reads the version first.
    """
    unit = _unit.get()
    if unit is None:
        return True
    unit.optimistic = False
    if unit.snapshot is None or unit.confirmed:
        return True
    seen = unit.seen if unit.seen is not None else read_version(db.session())
    if seen == unit.snapshot.version:
        unit.confirmed = True
        return True
    unit.snapshot, unit.seen = None, None
    return False


def attach(obj):
    """Return the current session's copy of a cached row, without a query.

    In the optimistic part of a read-only view (`begin_optimistic`) the cached row itself: it
    writes nothing and reads only the row's loaded columns, so the merge (~25 µs) is skipped.
    """
    unit = _unit.get()
    if unit is not None and unit.optimistic:
        return obj
    return db.session.merge(obj, load=False)


def bump(session: Session) -> None:
    """Move the configuration version in `session`'s transaction (every process reloads)."""
    if session.info.get(CHANGED):
        return
    if not inspect(session.connection()).has_table(ConfigVersion.__tablename__):
        return  # a schema older than the table (mid-migration): no process caches from it yet
    session.info[CHANGED] = True
    moved = session.execute(update(ConfigVersion).where(ConfigVersion.id == 1)
                            .values(version=ConfigVersion.version + 1))
    if not moved.rowcount:  # a database made by create_all has no row yet
        session.execute(insert(ConfigVersion).values(id=1, version=1))


def _changes_configuration(session: Session, obj) -> bool:
    """Tell whether a changed object's flush changes the configuration."""
    if isinstance(obj, WATCHED):
        return session.is_modified(obj)
    columns = PARTLY_WATCHED.get(type(obj))
    if columns is None:
        return False
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in columns)


def _before_flush(session: Session, _context, _instances) -> None:
    """Bump when the flush adds, changes or deletes a configuration row."""
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, _ALL_WATCHED):
            bump(session)
            return
    for obj in session.dirty:
        if _changes_configuration(session, obj):
            bump(session)
            return


def _bulk_changes_configuration(state, table_name: str | None) -> bool:
    """Tell whether an ORM bulk statement on `table_name` writes configuration columns.

    An UPDATE of a partly watched table counts when it sets a watched column (or when what it
    sets cannot be told); anything else on a watched table always counts.
    """
    if table_name in _WATCHED_NAMES:
        return True
    columns = _PARTLY_WATCHED_NAMES.get(table_name)
    if columns is None:
        return False
    if not state.is_update:
        return True
    statement, parameters = state.statement, state.parameters
    values = dict(getattr(statement, "_values", None) or {})
    rows = parameters if isinstance(parameters, list) else [parameters or {}]
    names = {getattr(key, "key", key) for key in values} | {key for row in rows for key in row}
    return not names or bool(names & columns)


def _on_execute(state) -> None:
    """Bump on an ORM bulk statement or raw SQL that writes a configuration table."""
    if state.is_select:
        return
    statement = state.statement
    table = getattr(statement, "table", None)
    if table is not None:
        if _bulk_changes_configuration(state, getattr(table, "name", None)):
            bump(state.session)
    elif hasattr(statement, "text") and statement.text.lstrip()[:6].upper() != "SELECT" \
            and _WATCHED_TABLES.search(statement.text):
        bump(state.session)


def _after_commit(session: Session) -> None:
    """After a committed change, drop this process's snapshots so the next read reloads."""
    if session.info.pop(CHANGED, None):
        for cache in _caches:
            cache.forget()
        _unit_forget()


def _after_rollback(session: Session) -> None:
    """A rolled-back change never happened; the unit may keep what it settles on next."""
    if session.info.pop(CHANGED, None):
        _unit_forget()


def _unit_forget() -> None:
    """Make the unit settle again on its next read (the configuration it had may have moved)."""
    unit = _unit.get()
    if unit is not None:
        unit.snapshot, unit.confirmed, unit.seen = None, False, None


def init_app(app: Flask) -> None:
    """Give `app` its process cache and watch every session for configuration changes."""
    cache = _ProcessCache()
    app.extensions["config_cache"] = cache
    _caches.add(cache)
    for name, listener in (("before_flush", _before_flush), ("do_orm_execute", _on_execute),
                           ("after_commit", _after_commit), ("after_rollback", _after_rollback)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
