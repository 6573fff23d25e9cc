"""Export the business's data as one JSON document, and import it into an empty database.

For SQLite users (PostgreSQL users have pg_dump). Exported: hosts and which services they
give, service types, weekly rules, blocked dates, settings, bookings (with uid and
manage-token hash, so the links clients hold keep working), their hosts and follow-ups,
every column, ids kept so references hold. A new database's migration creates a default
host; an import replaces it with the exported hosts.

Left out on purpose:
- admins and API tokens: password hashes and token hashes are keys to the dashboard and
  the admin API; a backup file travels (laptops, mail, cloud folders) and must not carry
  them. After a restore, `flask create-admin` and `flask create-api-token` make new ones
  (and a host's link to its login is dropped, to be set again).
- webhook endpoints: their secrets are encrypted with this installation's keys.
- outside calendars (`calendar_sources`): their app passwords are encrypted with this
  installation's keys (add them again); their busy cache (`external_busy`) is read afresh,
  and the ids of the bookings' events written into them (`written_events`) go with them.
- outbox rows: they are this installation's queue of side effects. Restored, sent rows
  would be history that means nothing, and pending ones would send emails or run meeting
  steps a second time. (Reminders not yet sent are therefore not restored.)
- meeting-provider integrations (OAuth tokens encrypted with this installation's keys:
  connect again) and idempotency records (24-hour replay protection, nothing to keep).
"""
from datetime import date, datetime, time, timezone

from sqlalchemy import Date, DateTime, Time, delete, func, select, text

from webapp.extensions import db
from webapp.models import (
    AvailabilitySlot,
    BlockedDate,
    Booking,
    BookingFollowUp,
    BookingHost,
    Host,
    ServiceType,
    ServiceTypeHost,
    Setting,
)
from webapp.schema_version import migration_state

FORMAT = "studiocentos-booking-export"
FORMAT_VERSION = 1
#: exported tables in an order that imports parents before children
MODELS = (Host, ServiceType, ServiceTypeHost, AvailabilitySlot, BlockedDate, Setting, Booking,
          BookingHost, BookingFollowUp)
#: columns pointing at rows a backup leaves out: exported empty
DROPPED = {"hosts": ("admin_user_id",)}
#: the document's keys holding rows: the tables' names
TABLES = tuple(model.__tablename__ for model in MODELS)


class ImportRefused(Exception):
    """The document or the target database cannot take this import; the message says why."""


def export_data(now: datetime) -> dict:
    """Return every exported table's rows as JSON-ready dictionaries."""
    document = {"format": FORMAT, "version": FORMAT_VERSION, "exported_at": now.isoformat()}
    for model in MODELS:
        columns = model.__table__.columns
        primary = list(model.__table__.primary_key.columns)
        rows = db.session.execute(select(*columns).order_by(*primary)).all()
        dropped = DROPPED.get(model.__tablename__, ())
        document[model.__tablename__] = [
            {column.name: None if column.name in dropped else _to_json(getattr(row, column.name))
             for column in columns} for row in rows]
    return document


def import_data(document: dict) -> dict[str, int]:
    """Insert an exported document into this empty, migrated database; return rows per table."""
    _check_document(document)
    _check_target()
    counts = {}
    try:
        if document.get(Host.__tablename__):
            db.session.execute(delete(Host))  # the migration's default host; the export has its own
        for model in MODELS:
            rows = [_from_json(model, row) for row in document.get(model.__tablename__, [])]
            if rows:
                db.session.execute(model.__table__.insert(), rows)
            counts[model.__tablename__] = len(rows)
        _advance_sequences()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts


def _to_json(value):
    """Return a column value as JSON (instants, days and times as ISO 8601 text)."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return value


def _from_json(model, row: dict) -> dict:
    """Return a document row as column values of `model` (unknown keys are refused)."""
    if not isinstance(row, dict):
        raise ImportRefused(f"{model.__tablename__}: every row must be an object.")
    columns = model.__table__.columns
    unknown = set(row) - set(columns.keys())
    if unknown:
        raise ImportRefused(f"{model.__tablename__}: unknown columns {sorted(unknown)} "
                            "(exported by a newer version? upgrade this one first).")
    values = {}
    for name, value in row.items():
        if name in DROPPED.get(model.__tablename__, ()):
            value = None
        kind = columns[name].type
        try:
            values[name] = _parse(kind, value)
        except (TypeError, ValueError):
            raise ImportRefused(f"{model.__tablename__}.{name}: {value!r} is not a valid value.") from None
    return values


def _parse(kind, value):
    """Turn ISO text back into the column's Python type; other values pass as they are."""
    if value is None:
        return None
    if isinstance(kind, DateTime) or isinstance(getattr(kind, "impl", None), DateTime):
        instant = datetime.fromisoformat(value)
        return instant if instant.tzinfo else instant.replace(tzinfo=timezone.utc)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Time):
        return time.fromisoformat(value)
    return value


def _check_document(document) -> None:
    """Refuse anything but an export of this format."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRefused("This file is not a StudiocentOS Booking export.")
    if document.get("version") != FORMAT_VERSION:
        raise ImportRefused(f"This export has format version {document.get('version')!r}; "
                            f"this version reads {FORMAT_VERSION}.")


def _check_target() -> None:
    """Refuse a database that is not migrated to head or already holds data."""
    if migration_state() != "ok":
        raise ImportRefused("The database is not migrated to this version: run "
                            "`flask --app wsgi db upgrade` first, on an empty database.")
    filled = [model.__tablename__ for model in MODELS if model is not Host
              and db.session.scalar(select(func.count()).select_from(model)) > 0]
    if filled:
        raise ImportRefused(f"The database is not empty ({', '.join(filled)} hold rows): import only "
                            "into a new database, so nothing is mixed or overwritten.")


def _advance_sequences() -> None:
    """On PostgreSQL, move each id sequence past the imported ids (SQLite needs nothing)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in MODELS:
        table = model.__table__
        if "id" not in table.columns:
            continue
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
