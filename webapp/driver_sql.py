"""A hot read's Core statement compiled once per dialect and run straight on the DB-API cursor.

SQLAlchemy's execution layer costs ~0.1 ms per statement (cache key, expanding IN, result
metadata), as much as a small SQLite query itself. A `DriverStatement` compiles its statement
once per dialect and per length of each expanding list, keeps the final SQL and how to order
and convert the parameters, and runs it on the connection's DB-API cursor. The engine's
`before_cursor_execute` listeners still see it (query counts, logs); a driver error is raised
again through SQLAlchemy's own path, so callers see SQLAlchemy's exceptions and a broken
connection is invalidated as usual. Only for statements whose columns need no result
conversion (integers, text): rows come back as the driver gives them.
"""
import re

from sqlalchemy.engine import Connection

#: an expanded bind's name: the list's name and a 1-based position
_EXPANDED = re.compile(r"^(?P<name>.+)_(?P<index>\d+)$")


class DriverStatement:
    """One Core statement, compiled per (dialect, expanding lengths), run on the raw cursor."""

    def __init__(self, statement, expanding: tuple[str, ...] = ()) -> None:
        self.statement = statement
        self.expanding = expanding
        self._prepared: dict[tuple, tuple] = {}

    def _prepare(self, dialect, params: dict) -> tuple:
        """Compile for `dialect` and these lists' lengths: the SQL, the parameter getters, positional."""
        compiled = self.statement.params(**params).compile(dialect=dialect,
                                                            compile_kwargs={"render_postcompile": True})
        fixed = compiled.construct_params()
        processors = {name: bind.type.dialect_impl(dialect).bind_processor(dialect)
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

    def all(self, connection: Connection, params: dict) -> list[tuple]:
        """Run the statement with `params` in `connection`'s transaction; return every row."""
        key = (connection.dialect.name, *(len(params[name]) for name in self.expanding))
        prepared = self._prepared.get(key)
        if prepared is None:
            prepared = self._prepared[key] = self._prepare(connection.dialect, params)
        sql, names, getters, positional = prepared
        values = [get(params) for get in getters]
        args = tuple(values) if positional else dict(zip(names, values, strict=True))
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            if connection._has_events or connection.engine._has_events:
                connection.dispatch.before_cursor_execute(connection, cursor, sql, args, None, False)
            cursor.execute(sql, args)
            return cursor.fetchall()
        except connection.dialect.loaded_dbapi.Error:
            # SQLAlchemy's path raises its own exception for this and invalidates a dead connection
            return list(connection.execute(self.statement, params).tuples())
        finally:
            cursor.close()
