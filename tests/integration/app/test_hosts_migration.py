"""The hosts migration turns the single calendar into a default host, keeping everything, both ways."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from tests.integration.app.test_migrations import insert_booking_with_an_email
from tests.integration.app.test_seed_sql import SEED_AVAILABILITY_SQL, SEED_BLOCKED_SQL
from webapp.extensions import db

BEFORE_HOSTS = "345ddfc63138"


def scalar(sql: str):
    """Return the one value a query answers."""
    return db.session.execute(text(sql)).scalar()


def test_the_single_calendar_becomes_the_default_host(migrated_app):
    downgrade(revision=BEFORE_HOSTS)
    db.session.execute(text(
        "INSERT INTO service_types (key, name, default_duration, allowed_durations, buffer_before,"
        " buffer_after, min_notice_minutes, max_days_ahead, requires_approval, is_active)"
        " VALUES ('consultation', 'Consultation', 30, '[30]', 0, 0, 0, 60, false, true)"))
    for statement in (SEED_AVAILABILITY_SQL, SEED_BLOCKED_SQL):
        db.session.execute(text(statement))
    insert_booking_with_an_email()
    upgrade()
    host = db.session.execute(text("SELECT id, name, email, timezone FROM hosts WHERE is_default")).one()
    assert tuple(host[1:]) == ("StudiocentOS", "", "Europe/Rome")
    assert scalar("SELECT count(*) FROM hosts") == 1
    assert scalar(f"SELECT count(*) FROM availability_slots WHERE host_id = {host.id}") == 5
    assert scalar(f"SELECT count(*) FROM blocked_dates WHERE host_id = {host.id}") == 3
    assert scalar(f"SELECT count(*) FROM service_type_hosts WHERE host_id = {host.id}") == 1
    assert db.session.execute(text("SELECT host_id, active FROM booking_hosts")).one() == (host.id, True)
    assert scalar("SELECT assignment FROM service_types") == "client_chooses"
    db.session.commit()


def test_seed_rows_inserted_after_the_migration_are_the_default_hosts(migrated_app):
    db.session.execute(text(SEED_AVAILABILITY_SQL))
    db.session.commit()
    assert scalar("SELECT count(*) FROM availability_slots WHERE host_id IS NULL") == 5  # NULL: default host


def test_down_and_up_again_keep_the_bookings(migrated_app):
    insert_booking_with_an_email()
    downgrade(revision=BEFORE_HOSTS)
    assert scalar("SELECT count(*) FROM bookings") == 1
    db.session.commit()  # end the read, so it does not keep the pre-upgrade snapshot
    upgrade()
    assert scalar("SELECT count(*) FROM booking_hosts") == 1
    db.session.commit()
