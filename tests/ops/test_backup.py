"""flask export / flask import: a restored copy answers like the original and opens its links."""
import json
from datetime import date, datetime, time, timezone
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from tests.conftest import base_config
from tests.factories import book, create_block, create_rule, store_booking
from tests.ops.conftest import API, NOW
from webapp import create_app
from webapp.extensions import db
from webapp.models import BookingFollowUp, BookingHost, Host, ServiceType
from webapp.services.admin_accounts import create_admin
from webapp.services.api_tokens import create_api_token
from webapp.services.settings import save_settings

ROME_MORNING = datetime(2025, 11, 5, 8, tzinfo=timezone.utc)  # Wednesday 5th, 09:00 in Rome
QUERY = {"start_date": "2025-11-05", "end_date": "2025-11-12", "timezone": "Europe/Rome"}


@pytest.fixture
def filled(app):
    """The source database: defaults plus bookings, a rule, blocks, a setting, admins."""
    kept = book(ROME_MORNING, NOW, client_email="kept@example.com")
    store_booking(status="cancelled", scheduled_at=datetime(2025, 11, 6, 9, tzinfo=timezone.utc))
    create_rule(day_of_week=5, start_time=time(10), end_time=time(12))  # Saturday mornings
    create_block(blocked_date=date(2025, 11, 7), reason="Holiday")
    create_block(blocked_date=date(2025, 11, 10), reason="Dentist", all_day=False,
                 start_time=time(9), end_time=time(11))
    save_settings(business_name="Studio Ops", self_service_cutoff_hours=6)
    db.session.add(BookingFollowUp(booking_id=kept.booking.id, subject="Thanks", message="See you"))
    db.session.commit()
    create_admin("owner@studio.example", "a long enough password 123")
    create_api_token("integration")
    return kept


def new_app(tmp_path, name: str, *, migrate: bool = True, url: str | None = None):
    """Return an app on a new SQLite file (or `url`), migrated to head with `flask db upgrade`'s code."""
    url = url or f"sqlite:///{tmp_path / name}"
    target = create_app({**base_config(tmp_path, url), "CLOCK": lambda: NOW})
    if migrate:
        with target.app_context():
            upgrade()
    return target


def run(target, *args: str):
    """Run a `flask` command of `target` in its own app context; return click's result."""
    with target.app_context():
        result = target.test_cli_runner().invoke(args=list(args))
        db.session.remove()
    return result


def export(app, tmp_path) -> str:
    """Export `app`'s data with `flask export`; return the file's path."""
    path = str(tmp_path / "export.json")
    result = run(app, "export", "--output", path)
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_restored_copy_serves_the_same_availability_and_manage_links(app, filled, tmp_path, engine, request):
    path = export(app, tmp_path)
    url = request.getfixturevalue("postgres_url") if engine == "postgresql" else None
    restored = new_app(tmp_path, "restored.db", url=url)
    result = run(restored, "import", path)
    assert result.exit_code == 0, result.output
    assert "2 bookings" in result.output and "2 blocked_dates" in result.output

    original = app.test_client().post(f"{API}/calendar/availability", json=QUERY).json
    token, uid = filled.manage_token, filled.booking.uid  # read here: the row belongs to `app`
    default_slug = db.session.scalar(db.select(Host.slug).where(Host.is_default))
    with restored.app_context():
        copy = restored.test_client().post(f"{API}/calendar/availability", json=QUERY).json
        assert copy == original
        restored_hosts = db.session.scalars(db.select(Host)).all()
        assert [(h.slug, h.is_default) for h in restored_hosts] == [(default_slug, True)]
        links = db.session.scalars(db.select(BookingHost)).all()
        assert len(links) == 2 and {link.host_id for link in links} == {restored_hosts[0].id}
        assert "2025-11-07" in copy["blocked_dates"] and copy["bookings_count"] == 1
        wednesday = next(day for day in copy["availability"] if day["date"] == "2025-11-05")
        assert "2025-11-05T09:00:00+01:00" not in [slot["datetime"] for slot in wednesday["slots"]]
        saturday = next(day for day in copy["availability"] if day["date"] == "2025-11-08")
        assert saturday["total_available"] > 0  # the imported weekly rule

        client = restored.test_client()
        page = client.get(f"/manage/{token}")
        assert page.status_code == 200 and "Studio Ops" in page.get_data(as_text=True)
        assert client.get(f"/manage/{token[:-2]}xx").status_code == 404
        assert client.get(f"{API}/bookings/{token}").json["status"] == "pending"  # the client's credential
        assert client.get(f"{API}/bookings/{uid}").status_code == 404  # the uid opens nothing
        # a booking made on the copy gets a fresh id after the imported ones
        made = client.post(f"{API}/bookings", json={
            "client_name": "New Client", "client_email": "new@example.com", "service_type": "consultation",
            "scheduled_at": "2025-11-05T10:00:00", "duration_minutes": 30, "timezone": "Europe/Rome",
            "meeting_provider": "jitsi"})
        assert made.status_code == 201, made.json
        db.session.remove()
        db.engine.dispose()


def test_admins_tokens_and_the_outbox_are_left_out(app, filled, tmp_path):
    document = json.loads(Path(export(app, tmp_path)).read_text())
    assert {"admin_users", "api_tokens", "outbox_messages", "provider_integrations"}.isdisjoint(document)
    text = json.dumps(document)
    assert "owner@studio.example" not in text
    assert document["bookings"][0]["manage_token_hash"] and document["booking_follow_ups"][0]["subject"] == "Thanks"


def test_import_refuses_a_database_that_holds_data(app, filled, tmp_path):
    path = export(app, tmp_path)
    restored = new_app(tmp_path, "restored.db")
    assert run(restored, "import", path).exit_code == 0
    again = run(restored, "import", path)
    assert again.exit_code == 1 and "not empty" in again.output and "bookings" in again.output


def test_import_refuses_a_database_not_migrated(app, filled, tmp_path):
    path = export(app, tmp_path)
    result = run(new_app(tmp_path, "bare.db", migrate=False), "import", path)
    assert result.exit_code == 1 and "db upgrade" in result.output


@pytest.mark.parametrize(("content", "message"), [
    ("{", "is not JSON"),
    ('{"bookings": []}', "not a StudiocentOS Booking export"),
    ('{"format": "studiocentos-booking-export", "version": 99}', "format version 99"),
    ('{"format": "studiocentos-booking-export", "version": 1, "bookings": [{"secret": 1}]}',
     "unknown columns"),
    ('{"format": "studiocentos-booking-export", "version": 1, "service_types": [{"key": "demo", '
     '"name": "Demo"}], "blocked_dates": [{"blocked_date": "31/12/2025", "reason": "x"}]}',
     "is not a valid value"),
])
def test_import_refuses_a_file_that_is_not_an_export(tmp_path, content, message):
    path = tmp_path / "wrong.json"
    path.write_text(content)
    restored = new_app(tmp_path, "restored.db")
    result = run(restored, "import", str(path))
    assert result.exit_code == 1 and message in result.output
    with restored.app_context():  # nothing half-written
        assert db.session.scalar(select(func.count()).select_from(ServiceType)) == 0

