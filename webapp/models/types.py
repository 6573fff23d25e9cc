"""Column types shared by the models."""
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import BigInteger, DateTime, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import MappedColumn, mapped_column
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

#: the database's own clock, the default of rows inserted in plain SQL (as the seed's snippets do)
CURRENT_TIMESTAMP = text("CURRENT_TIMESTAMP")


class UTCDateTime(TypeDecorator):
    """An aware UTC instant, stored naive-UTC on SQLite and timestamptz on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        """Store an aware instant as UTC (naive on SQLite); refuse naive values."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        """Return the stored instant as an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow() -> datetime:
    """Return the current instant, aware, in UTC."""
    return datetime.now(timezone.utc)


def created_at_column() -> MappedColumn[datetime]:
    """A creation instant, set by the app and, for rows inserted in plain SQL, by the database."""
    return mapped_column(UTCDateTime, default=utcnow, server_default=CURRENT_TIMESTAMP)


def updated_at_column() -> MappedColumn[datetime]:
    """A last-change instant: the creation instant at first, then renewed on every ORM update."""
    return mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, server_default=CURRENT_TIMESTAMP)


class epoch_seconds(FunctionElement):
    """SQL: a `UTCDateTime` column for comparing in seconds since the epoch (a hot query then builds
    no datetime per row; the availability engine compares seconds anyway). PostgreSQL answers
    whole seconds; SQLite the stored text, which `seconds_of` turns into them (parsing it in SQL
    costs more than the rest of the query)."""

    type = BigInteger()
    name = "epoch_seconds"
    inherit_cache = True


@compiles(epoch_seconds)
def _epoch_seconds(element, compiler, **kw) -> str:
    """PostgreSQL (timestamptz): the instant's epoch, whole seconds."""
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})) AS BIGINT)"


@compiles(epoch_seconds, "sqlite")
def _epoch_seconds_sqlite(element, compiler, **kw) -> str:
    """SQLite (naive UTC text, as `UTCDateTime` stores it): the text itself, for `seconds_of`."""
    return compiler.process(element.clauses, **kw)


def seconds_of(value: int | str) -> int:
    """Return an `epoch_seconds` value as whole seconds (SQLite's stored text parsed, once per text)."""
    return value if type(value) is int else _text_seconds(value)


@lru_cache(maxsize=65536)
def _text_seconds(stored: str) -> int:
    """Return stored instant text (naive UTC, or with its offset; ISO 8601) as whole epoch seconds."""
    instant = datetime.fromisoformat(stored)
    return int((instant if instant.tzinfo else instant.replace(tzinfo=timezone.utc)).timestamp())
