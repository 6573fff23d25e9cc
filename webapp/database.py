"""Engine set-up and the write transactions: one serialising booking writers, one plain."""
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db

#: any fixed number: the advisory lock every booking writer takes on PostgreSQL
CALENDAR_LOCK_KEY = 7_346_201
EXCLUSION_VIOLATION = "23P01"
_immediate = ContextVar("sqlite_begin_immediate", default=False)


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
    """Begin SQLite transactions explicitly, IMMEDIATE when writers must queue."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")


class ExclusionViolation(Exception):
    """Two active bookings would overlap (PostgreSQL's exclusion constraint fired)."""


@contextmanager
def booking_write_transaction():
    """Run the block in one transaction that serialises booking writers, then commit.

    SQLite takes its write lock at BEGIN IMMEDIATE; PostgreSQL takes the advisory
    transaction lock CALENDAR_LOCK_KEY, with the exclusion constraint as the backstop.
    Use it for writes that must see every other booking (create, move, cancel, confirm).
    """
    with _write_transaction(lock_bookings=True) as session:
        yield session


@contextmanager
def write_transaction():
    """Run the block in one plain write transaction, then commit; no booking lock.

    The block locks the rows it changes itself (SELECT ... FOR UPDATE [SKIP LOCKED]) on
    PostgreSQL; SQLite, with one writer at a time, still begins IMMEDIATE so a read never
    has to be upgraded to a write halfway through.
    """
    with _write_transaction(lock_bookings=False) as session:
        yield session


@contextmanager
def _write_transaction(*, lock_bookings: bool):
    """Begin a fresh writing transaction (taking the booking lock if asked), commit or roll back."""
    session = db.session()
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("a write transaction needs a session without pending changes")
        session.rollback()
    token = _immediate.set(True)
    try:
        connection = session.connection()
    finally:
        _immediate.reset(token)
    if lock_bookings and connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CALENDAR_LOCK_KEY})
    try:
        yield session
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        if getattr(exc.orig, "sqlstate", None) == EXCLUSION_VIOLATION:
            raise ExclusionViolation(str(exc.orig)) from exc
        raise
    except BaseException:
        session.rollback()
        raise
