"""A hot read's Core statement compiled once per dialect and run straight on the DB-API cursor.

SQLAlchemy's execution layer costs ~0.1 ms per statement (cache key, expanding IN, result
metadata), as much as a small SQLite query itself. A `DriverStatement` compiles its statement
once per dialect and per length of each expanding list, keeps the final SQL and how to order
and convert the parameters, and runs it on the connection's DB-API cursor. The engine's
`before_cursor_execute` listeners still see it (query counts, logs); a driver error is raised
again through SQLAlchemy's own path, so callers see SQLAlchemy's exceptions and a broken
connection is invalidated as usual. Only for statements whose columns need no result
conversion (integers, text): rows come back as the driver gives them.

A write or a lock whose rows nobody reads runs the same way (`DriverStatement.run`), its driver
errors raised as SQLAlchemy's.

A read that needs no transaction of the request's (`DriverStatement.read`, the health check)
goes further: a pooled DB-API connection of its own, no SQLAlchemy `Connection` or session
transaction at all (their set-up and teardown cost ~0.1 ms, more than a small query).
"""
import re
from datetime import timezone
from functools import lru_cache

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import scoped_session
from sqlalchemy.types import DateTime, TypeDecorator

#: an expanded bind's name: the list's name and a 1-based position
_EXPANDED = re.compile(r"^(?P<name>.+)_(?P<index>\d+)$")


def _remembered_if_instant(type_, convert):
    """Return a datetime bind's converter remembering its answers for UTC instants (requests bind
    the same days' instants again and again, ~5 µs each to convert); others as they are.

    Only values in `timezone.utc` are remembered: two equal datetimes of one other zone may be
    an hour apart (a repeated hour's two folds compare equal), and their text must differ.
    """
    if not (convert and isinstance(type_.impl_instance if isinstance(type_, TypeDecorator) else type_, DateTime)):
        return convert
    remembered = lru_cache(maxsize=256)(convert)
    return lambda value: remembered(value) if getattr(value, "tzinfo", None) is timezone.utc else convert(value)


class DriverStatement:
    """One Core statement, compiled per (dialect, expanding lengths), run on the raw cursor."""

    def __init__(self, statement, expanding: tuple[str, ...] = ()) -> None:
        self.statement = statement
        self.expanding = expanding
        self._prepared: dict[tuple, tuple] = {}

    def _prepare(self, dialect, params: dict) -> tuple:
        """Compile for `dialect` and these lists' lengths: the SQL, the parameter getters, positional."""
        statement = self.statement.params(**params) if self.expanding else self.statement  # lists to expand
        compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        fixed = compiled.construct_params(None if self.expanding else params)
        processors = {name: _remembered_if_instant(bind.type, bind.type.dialect_impl(dialect).bind_processor(dialect))
                      for name, bind in compiled.binds.items()}
        names = list(compiled.positiontup) if compiled.positional else list(fixed)
        getters = [self._getter(name, params, fixed, processors) for name in names]
        return compiled.string, names, getters, compiled.positional

    def _getter(self, name: str, params: dict, fixed: dict, processors: dict):
        """Return params -> the converted value of bind `name` (a caller's, a list's item or a literal)."""
        if name in params and name not in self.expanding:
            convert = processors.get(name)
            return (lambda given: convert(given[name])) if convert else (lambda given: given[name])
        expanded = _EXPANDED.match(name)
        if expanded and expanded["name"] in self.expanding:
            listed, index, convert = expanded["name"], int(expanded["index"]) - 1, processors.get(expanded["name"])
            return (lambda given: convert(given[listed][index])) if convert else (lambda given: given[listed][index])
        base = expanded["name"] if expanded and expanded["name"] in processors else name
        convert = processors.get(base)
        value = convert(fixed[name]) if convert else fixed[name]
        return lambda given: value

    def _sql_and_args(self, dialect, params: dict) -> tuple[str, tuple | dict]:
        """Return the final SQL for `dialect` and these lists' lengths, and the driver's parameters."""
        key = (dialect.name, *(len(params[name]) for name in self.expanding))
        prepared = self._prepared.get(key)
        if prepared is None:
            prepared = self._prepared[key] = self._prepare(dialect, params)
        sql, names, getters, positional = prepared
        converted: dict[str, object] = {}  # a bind used twice (positional SQL repeats it) is converted once
        values = [converted[name] if name in converted else converted.setdefault(name, get(params))
                  for name, get in zip(names, getters, strict=True)]
        return sql, tuple(values) if positional else dict(zip(names, values, strict=True))

    def read(self, session: scoped_session, engine: Engine, params: dict) -> list[tuple]:
        """Return every row: on a pooled connection of its own (`pooled_rows`) when the request's
        `session` holds no transaction, else in that transaction (a write's check must see it).

        A driver error takes the session's path again, which SQLAlchemy raises its way (a dead
        connection is reconnected there).
        """
        if session.registry.has() and session().in_transaction():
            return self.all(session.connection(), params)
        try:
            return pooled_rows(engine, *self._sql_and_args(engine.dialect, params))
        except engine.dialect.loaded_dbapi.Error:
            return self.all(session.connection(), params)

    def all(self, connection: Connection, params: dict) -> list[tuple]:
        """Run the statement with `params` in `connection`'s transaction; return every row."""
        sql, args = self._sql_and_args(connection.dialect, params)
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            return _execute(connection, cursor, sql, args)
        except connection.dialect.loaded_dbapi.Error:
            # SQLAlchemy's path raises its own exception for this and invalidates a dead connection
            return list(connection.execute(self.statement, params).tuples())
        finally:
            cursor.close()

    def run(self, connection: Connection, params: dict) -> list[tuple]:
        """Run a write or a lock in `connection`'s transaction; return the rows it returns, if any.

        A driver error is raised as SQLAlchemy raises it (an `IntegrityError` whose `orig` keeps
        the sqlstate), and a lost connection is invalidated, as on SQLAlchemy's own path; the
        statement is never run again there (after a failed statement PostgreSQL refuses any
        other, and a write must not happen twice).
        """
        sql, args = self._sql_and_args(connection.dialect, params)
        dbapi_connection = connection.connection.dbapi_connection
        cursor = dbapi_connection.cursor()
        try:
            return _execute(connection, cursor, sql, args)
        except connection.dialect.loaded_dbapi.Error as exc:
            lost = connection.dialect.is_disconnect(exc, dbapi_connection, cursor)
            if lost:
                connection.invalidate(exc)
            raise DBAPIError.instance(sql, args, exc, connection.dialect.loaded_dbapi.Error,
                                      connection_invalidated=lost, dialect=connection.dialect) from exc
        finally:
            cursor.close()


def _execute(connection: Connection, cursor, sql: str, args) -> list[tuple]:
    """Run `sql` on `cursor` of `connection`, handing it to the statement listeners first (tests'
    query counters, tracers); return its rows (none for a statement that returns none)."""
    if connection._has_events or connection.engine._has_events:
        connection.dispatch.before_cursor_execute(connection, cursor, sql, args, None, False)
    cursor.execute(sql, args)
    return cursor.fetchall() if cursor.description else []


def with_defaults(table, values: dict) -> dict:
    """Return `values` (by column key) with the Python defaults of `table`'s other columns (not the
    primary key) computed now, as SQLAlchemy's INSERT would: a statement run here gets none filled in."""
    full = dict(values)
    for column in table.columns:
        default = column.default
        if column.key in full or default is None or column.primary_key:
            continue
        if not (default.is_scalar or default.is_callable):
            raise ValueError(f"{table.name}.{column.key}: a SQL default cannot be computed here")
        full[column.key] = default.arg(None) if default.is_callable else default.arg
    return full


def pooled_rows(engine: Engine, sql: str, args: tuple | dict = ()) -> list[tuple]:
    """Run one statement on a pooled DB-API connection, outside any transaction of the caller's.

    The statement sees the database as of its own start (SQLite in autocommit, as this app opens
    it; PostgreSQL in a transaction the pool rolls back on return). A driver error invalidates
    the connection, so the pool never hands it out again, and is raised as the driver's. While
    something listens to statements (a query counter, a tracer), it runs through a SQLAlchemy
    `Connection` instead, which those listeners are handed.
    """
    if engine.dispatch.before_cursor_execute:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.exec_driver_sql(sql, args)]
    pooled = engine.raw_connection()
    try:
        cursor = pooled.cursor()
        try:
            cursor.execute(sql, args)
            return cursor.fetchall()
        finally:
            cursor.close()
    except engine.dialect.loaded_dbapi.Error:
        pooled.invalidate()
        raise
    finally:
        pooled.close()
