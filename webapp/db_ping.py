"""The health check's database ping: `SELECT 1` on a connection of the process's own, outside the pool.

A liveness probe must say whether the database answers, not whether the pool has a connection
free: through the pool, a busy process's probe waited up to `pool_timeout` (30 s) for one and
then reported the database unreachable. It also skips the pool's checkout, reset and return
(~25-45 µs of a gunicorn worker's CPU per probe).

The connection is made by a copy of the engine's pool (the engine's connect listeners apply, so
SQLite is in autocommit) and detached from it, so it is never counted against the engine's pool
size. It runs in autocommit on PostgreSQL (no transaction is left open between pings) and is
kept per engine and process: one extra connection per process. A connection that fails (the
server restarted) is closed and the ping tried once more on a new one; `engine.dispose()`
closes it. While something listens to statements (a query counter), or the engine keeps no pool
of connections to share (an in-memory SQLite, NullPool), the ping runs through the pool as any
statement does.
"""
import contextlib
import os
import threading
import weakref

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

from webapp.driver_sql import pooled_rows

PING = "SELECT 1"


class OwnConnection:
    """One engine's ping connection in this process, made on first use, remade after a failure.

    It holds no reference to its engine (the engine is passed in), so a dropped engine is freed.
    """

    def __init__(self):
        self.lock = threading.Lock()  # threads of one process share the connection, one ping at a time
        self.connection = None
        self.pid = None

    def ping(self, engine: Engine) -> None:
        """Run the ping; on a failure of a connection made earlier, once more on a new one."""
        with self.lock:
            reused = self.connection is not None and self.pid == os.getpid()
            try:
                self._select_one(engine)
            except engine.dialect.loaded_dbapi.Error:
                self._close(engine)
                if not reused:
                    raise
                self._select_one(engine)

    def _select_one(self, engine: Engine) -> None:
        """Run `SELECT 1` on the connection, connecting first when there is none in this process."""
        if self.connection is None or self.pid != os.getpid():  # a forked child never uses its parent's
            self.connection, self.pid = self._connect(engine), os.getpid()
        cursor = self.connection.cursor()
        try:
            cursor.execute(PING)
            cursor.fetchall()
        finally:
            cursor.close()

    @staticmethod
    def _connect(engine: Engine):
        """Return a new DB-API connection, made as the engine's pool makes them but not counted in it."""
        pooled = engine.pool.recreate().connect()  # a pool of its own: the engine's may have none free
        pooled.detach()
        connection = pooled.dbapi_connection
        if engine.dialect.name == "postgresql":
            connection.autocommit = True  # psycopg would otherwise hold a transaction open between pings
        return connection

    def close(self, engine: Engine) -> None:
        """Close the connection (the engine was disposed)."""
        with self.lock:
            self._close(engine)

    def _close(self, engine: Engine) -> None:
        """Close and forget the connection; one that is already broken may refuse to close."""
        connection, self.connection = self.connection, None
        if connection is not None and self.pid == os.getpid():
            with contextlib.suppress(engine.dialect.loaded_dbapi.Error):
                connection.close()


_own: "weakref.WeakKeyDictionary[Engine, OwnConnection]" = weakref.WeakKeyDictionary()
_own_lock = threading.Lock()


def _own_connection(engine: Engine) -> OwnConnection:
    """Return the engine's ping connection holder, made (and closed on `dispose`) once."""
    found = _own.get(engine)
    if found is None:
        with _own_lock:
            found = _own.get(engine)
            if found is None:
                found = _own[engine] = OwnConnection()
                event.listen(engine, "engine_disposed", found.close)
    return found


def ping(engine: Engine) -> None:
    """Run `SELECT 1` on the database; raise the driver's or SQLAlchemy's error when it does not answer."""
    if engine.dispatch.before_cursor_execute or not isinstance(engine.pool, QueuePool):
        pooled_rows(engine, PING)
        return
    _own_connection(engine).ping(engine)
