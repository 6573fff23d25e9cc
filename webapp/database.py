"""Engine set-up and the write transactions: one serialising booking writers per host, one plain."""
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from flask import Flask
from psycopg.pq import TransactionStatus
from sqlalchemy import Column, bindparam, event, func, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from webapp.driver_sql import DriverStatement
from webapp.extensions import db

#: any fixed number: the first half of each host's advisory lock (the host id is the second)
CALENDAR_LOCK_KEY = 7_346_201
EXCLUSION_VIOLATION = "23P01"
#: one host's advisory lock, on the driver's cursor (`driver_sql`): no SQLAlchemy statement path
_LOCK_HOST = DriverStatement(select(func.pg_advisory_xact_lock(bindparam("space"), bindparam("host"))))
_immediate = ContextVar("sqlite_begin_immediate", default=False)
#: session.info key: the objects whose values stay loaded when the write transaction commits
KEEP_LOADED = "keep_loaded"
#: session.info key: objects inserted past the unit of work, expunged if the transaction rolls back
INSERTED_PAST_FLUSH = "inserted_past_flush"


def init_app(app: Flask) -> None:
    """Add the SQLite listeners to this app's SQLite engines (once each; other apps unaffected)."""
    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        if engine.dialect.name == "sqlite":
            add_sqlite_listeners(engine)


def add_sqlite_listeners(engine: Engine) -> None:
    """Make `engine` begin transactions itself (IMMEDIATE for writers), wait on locks, use WAL."""
    for name, listener in (("connect", _sqlite_on_connect), ("begin", _sqlite_on_begin)):
        if not event.contains(engine, name, listener):
            event.listen(engine, name, listener)


def _sqlite_on_connect(dbapi_connection, _record):
    """Let SQLAlchemy, not pysqlite, begin transactions; wait on locks; use WAL."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 15000")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()


def _sqlite_on_begin(connection):
    """Begin SQLite transactions explicitly, IMMEDIATE when writers must queue.

    Straight on the driver's connection: SQLAlchemy's statement path (events, result set-up)
    would cost more than the BEGIN itself on every request.
    """
    if connection.dialect.name == "sqlite":
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")


class ExclusionViolation(Exception):
    """Two active bookings would overlap (PostgreSQL's exclusion constraint fired)."""


@contextmanager
def booking_write_transaction(host_ids: Iterable[int] = ()):
    """Run the block in one transaction that serialises the writers of the same hosts, then commit.

    SQLite takes its (whole-database) write lock at BEGIN IMMEDIATE; PostgreSQL takes one
    advisory transaction lock per host (`lock_hosts`), so bookings of different hosts never
    wait for each other, with the per-host exclusion constraint as the backstop. A block that
    learns its hosts later (a booking it loads, a round-robin choice) calls `lock_hosts` itself.
    """
    with _write_transaction() as session:
        lock_hosts(session, host_ids)
        yield session


def lock_hosts(session, host_ids: Iterable[int]) -> bool:
    """Take the hosts' booking locks until the transaction ends; True if taken (re-check what was read before).

    PostgreSQL only (SQLite's transaction already holds the one write lock since it began, so
    nothing can have changed: False). Sorted, so two writers needing the same hosts
    (collective meetings) never deadlock.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return False
    ids = sorted(set(host_ids))
    for host_id in ids:
        _LOCK_HOST.run(connection, {"space": CALENDAR_LOCK_KEY, "host": host_id})
    return bool(ids)


@contextmanager
def write_transaction():
    """Run the block in one plain write transaction, then commit; no booking lock.

    The block locks the rows it changes itself (SELECT ... FOR UPDATE [SKIP LOCKED]) on
    PostgreSQL; SQLite, with one writer at a time, still begins IMMEDIATE so a read never
    has to be upgraded to a write halfway through.
    """
    with _write_transaction() as session:
        yield session


@contextmanager
def _write_transaction():
    """Begin a fresh writing transaction, commit or roll back (an exclusion violation is named)."""
    session = db.session()
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("a write transaction needs a session without pending changes")
        if not _continues(session):
            session.rollback()
    token = _immediate.set(True)
    try:
        session.connection()  # begins now: IMMEDIATE on SQLite
    finally:
        _immediate.reset(token)
    try:
        yield session
        kept = _loaded_values(session)
        session.commit()
        session.info.pop(INSERTED_PAST_FLUSH, None)
    except IntegrityError as exc:
        _roll_back(session)
        if getattr(exc.orig, "sqlstate", None) == EXCLUSION_VIOLATION:
            raise ExclusionViolation(str(exc.orig)) from exc
        raise
    except BaseException:
        _roll_back(session)
        raise
    _restore(session, kept)


def _roll_back(session) -> None:
    """Roll the write transaction back; forget what it meant to keep, and the rows it inserted
    past the unit of work (as a rollback expunges the rows a flush inserted)."""
    session.rollback()
    session.info.pop(KEEP_LOADED, None)
    for obj in session.info.pop(INSERTED_PAST_FLUSH, []):
        if obj in session:
            session.expunge(obj)


def inserted_past_flush(session, objects: Iterable) -> None:
    """Note objects this write transaction inserted past the unit of work and attached as persistent:
    a rollback expunges them, as it does the rows a flush inserted (they never existed)."""
    session.info.setdefault(INSERTED_PAST_FLUSH, []).extend(objects)


def _continues(session) -> bool:
    """Tell whether the open transaction can go on as the write transaction (no ROLLBACK, no BEGIN).

    Only on PostgreSQL at READ COMMITTED, where each statement sees every commit made before it,
    as in a fresh transaction; and only while the session holds no object (nothing loaded that a
    fresh transaction would read again, nothing flushed) and no mark of a write (`session.info`:
    a configuration change, outbox rows), and while the driver reports the transaction sound (a
    failed statement aborts it). It has then only read, e.g. the configuration version.
    SQLite always begins afresh: its writers need BEGIN IMMEDIATE.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql" or connection.default_isolation_level != "READ COMMITTED" \
            or session.identity_map or session.info:
        return False
    info = getattr(connection.connection.dbapi_connection, "info", None)  # psycopg 3, no round trip
    return getattr(info, "transaction_status", None) == TransactionStatus.INTRANS  # not failed, say


def keep_loaded(session, inserted: Iterable, loaded: Iterable = ()) -> None:
    """Keep some objects' values loaded when this write transaction commits, so reading them
    afterwards needs no query: what was just written is what the database holds.

    `inserted`: rows this transaction inserted (a column it left unset, with no default, was
    written as NULL); `loaded`: other rows, whose loaded values stay as they are. Every other
    object expires at the commit as usual (the next read of it is fresh).
    """
    kept = session.info.setdefault(KEEP_LOADED, [])
    kept += [(obj, True) for obj in inserted] + [(obj, False) for obj in loaded]


def _loaded_values(session) -> list[tuple[object, dict, dict]]:
    """Flush, then return the objects `keep_loaded` named with their column and relationship values."""
    objects = session.info.pop(KEEP_LOADED, None)
    if not objects:
        return []
    session.flush()
    kept = []
    for obj, inserted in objects:
        state = inspect(obj)
        columns, relationships, null_when_unset = _attribute_keys(state.mapper)
        loaded = state.dict
        values = {key: list(value) if isinstance(value, list) else value
                  for key, value in loaded.items() if key in columns}
        if inserted:
            values.update(dict.fromkeys(null_when_unset.difference(values)))
        related = {key: loaded[key] for key in relationships if key in loaded}
        kept.append((obj, values, related))
    return kept


@cache
def _attribute_keys(mapper) -> tuple[frozenset, tuple, frozenset]:
    """Return a mapper's column attribute keys, its relationship keys, and the columns an ORM insert
    that left them unset wrote as NULL (no default of any kind)."""
    columns = frozenset(attr.key for attr in mapper.column_attrs)
    relationships = tuple(attr.key for attr in mapper.attrs if attr.key not in columns)
    return columns, relationships, frozenset(attr.key for attr in mapper.column_attrs if _written_as_null(attr))


def _written_as_null(attr) -> bool:
    """Tell whether an ORM insert that left this column attribute unset wrote NULL (no default of any kind)."""
    return all(isinstance(column, Column) and column.default is None and column.server_default is None
               and not column.primary_key for column in attr.columns)


def _restore(session, kept: list[tuple[object, dict, dict]]) -> None:
    """Put the kept values back as committed (the commit expired them), without a query.

    Column values at once per object (what `set_committed_value` does for each: set, then mark
    committed), relationships by `set_committed_value`. Then open the session's next
    transaction (no connection yet): its end, a rollback as much as a commit, expires the kept
    objects like every other, so a later read is fresh again.
    """
    if not kept:
        return
    for obj, values, related in kept:
        state = inspect(obj)
        state.dict.update(values)
        state._commit(state.dict, values)
        for key, value in related.items():
            set_committed_value(obj, key, list(value) if isinstance(value, list) else value)
    if not session.in_transaction():
        session.begin()
