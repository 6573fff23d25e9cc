"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
import warnings
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.conftest import base_config
from webapp import create_app
from webapp.extensions import db

ENV_PY = Path(__file__).resolve().parents[3] / "migrations" / "env.py"
INITIAL = "56b0ba1045a7"
#: the revision before bookings had to last at most a day
BEFORE_SPAN_CHECK = "a4c7e2f9b1d3"


def test_migrations_match_the_models(migrated_app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": False, "compare_server_default": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_postgres_schema_has_the_overlap_backstop(migrated_postgres_app):
    with db.engine.connect() as connection:
        names = connection.exec_driver_sql(
            "SELECT conname FROM pg_constraint WHERE contype = 'x'").scalars().all()
    assert "bookings_no_overlap" in names


def test_migrating_raises_no_deprecation_warning_from_env_py(tmp_path):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'warned.db'}"))
    with app.app_context(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        upgrade()
        db.engine.dispose()
    assert [str(w.message) for w in caught if Path(w.filename) == ENV_PY] == []


def insert_booking_with_an_email(ends_at: str = "2030-01-07 09:30:00") -> None:
    """Store a booking and an outbox row pointing at it, in plain SQL (as the schema allows)."""
    stamps = "'2030-01-07 08:00:00', '2030-01-07 08:00:00'"
    db.session.execute(text(
        "INSERT INTO bookings (uid, manage_token_hash, client_name, client_email, service_type,"
        " title, scheduled_at, ends_at, duration_minutes, timezone, status, meeting_provider,"
        " reminder_sent, version, created_at, updated_at) VALUES ('u1', 'h1', 'Ada',"
        " 'ada@example.com', 'consultation', 'Call', '2030-01-07 09:00:00',"
        f" '{ends_at}', 30, 'Europe/Rome', 'pending', 'jitsi', false, 1, {stamps})"))
    db.session.execute(text(
        "INSERT INTO outbox_messages (booking_id, kind, key, status, due_at, attempts, payload,"
        f" created_at, updated_at) SELECT id, 'confirmation', 'k1', 'pending', '2030-01-07 08:00:00',"
        f" 0, '{{}}', {stamps} FROM bookings"))
    db.session.commit()


def test_timestamp_defaults_migrate_up_and_down_over_existing_rows(migrated_app):
    """SQLite rebuilds `bookings` while an email points at it; every row survives both ways."""
    downgrade(revision=INITIAL)
    insert_booking_with_an_email()
    upgrade()
    downgrade(revision=INITIAL)
    upgrade()
    counts = db.session.execute(text(
        "SELECT (SELECT count(*) FROM bookings), (SELECT count(*) FROM outbox_messages "
        " JOIN bookings ON bookings.id = outbox_messages.booking_id)")).one()
    assert tuple(counts) == (1, 1)


def test_a_booking_longer_than_a_day_stops_the_span_check_migration_with_a_count(migrated_app, capfd):
    """The check would refuse the row: `flask db upgrade` says why and exits 1 instead of half-applying."""
    downgrade(revision=BEFORE_SPAN_CHECK)
    insert_booking_with_an_email(ends_at="2030-01-09 09:30:00")
    with pytest.raises(SystemExit, match="1"):
        upgrade()
    assert "1 booking(s) end before they start or last more than a day" in capfd.readouterr().err
    db.session.rollback()
    db.session.execute(text("UPDATE bookings SET ends_at = '2030-01-07 09:30:00'"))
    db.session.commit()
    upgrade()
    with pytest.raises(IntegrityError, match="span_within_a_day"):
        db.session.execute(text("UPDATE bookings SET ends_at = '2030-01-09 09:30:00'"))
    db.session.rollback()
