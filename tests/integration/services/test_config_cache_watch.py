"""The configuration a booking reads from the process's cache: webhook endpoints, connected
meeting providers and calendar sources. An admin change moves the version (the next booking
follows it); the worker's status writes on the same rows do not (no reload per sync or token)."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from tests.factories import book
from webapp.database import write_transaction
from webapp.extensions import db
from webapp.models import CalendarSource, OutboxMessage, ProviderIntegration, WebhookEndpoint
from webapp.outbox.kinds import Kind
from webapp.services import config_cache
from webapp.services.hosts import default_host
from webapp.services.integrations import disconnect, locked_integration, token_cipher, write_tokens
from webapp.services.settings import enabled_providers

NOW = datetime(2030, 1, 1, 8, tzinfo=timezone.utc)
MONDAY_NINE = datetime(2030, 1, 7, 8, tzinfo=timezone.utc)  # 09:00 in Rome


def version() -> int:
    """Return the stored configuration version (ending the read transaction first)."""
    db.session.rollback()
    return config_cache.read_version(db.session)


def kinds_written(nth: int) -> list[str]:
    """Book the `nth` half hour after Monday 09:00 and return the kinds of its outbox rows."""
    booking = book(MONDAY_NINE + timedelta(minutes=30 * nth), NOW, client_email=f"c{nth}@example.com").booking
    return list(db.session.scalars(db.select(OutboxMessage.kind).where(OutboxMessage.booking_id == booking.id)))


def test_a_calendar_sources_status_writes_keep_the_version_its_set_up_moves_it(app):
    source = CalendarSource(host_id=default_host().id, kind="ics", name="Feed", url="https://example.com/a.ics")
    db.session.add(source)
    db.session.commit()
    before = version()
    source.last_attempt_at = source.failing_since = NOW  # what the worker's sync writes
    source.last_error, source.refresh_requested = "timed out", False
    db.session.commit()
    db.session.execute(update(CalendarSource).values(refresh_requested=True))
    db.session.commit()
    assert version() == before
    source.is_active = False
    db.session.commit()
    assert version() == before + 1
    db.session.execute(update(CalendarSource).values(is_active=True))  # a bulk statement too
    db.session.commit()
    assert version() == before + 2


def test_the_next_booking_writes_into_a_calendar_chosen_since_the_last(app):
    assert Kind.CALENDAR_EVENT_PUT not in kinds_written(0)  # also warms the cache
    source = CalendarSource(host_id=default_host().id, kind="caldav", name="Work", url="https://dav.example.com/",
                            write_calendar="/calendars/work/")
    db.session.add(source)
    db.session.commit()
    assert {Kind.CALENDAR_EVENT_PUT, Kind.CALENDAR_REFRESH} <= set(kinds_written(1))
    source.write_calendar = None
    db.session.commit()
    assert Kind.CALENDAR_EVENT_PUT not in kinds_written(2)


def test_the_next_booking_notifies_a_webhook_endpoint_added_since_the_last(app):
    assert Kind.WEBHOOK not in kinds_written(0)
    endpoint = WebhookEndpoint(url="https://hooks.example.com/in", secret_enc="-", events=["booking.created"])
    db.session.add(endpoint)
    db.session.commit()
    assert kinds_written(1).count(Kind.WEBHOOK) == 1
    endpoint.is_active = False
    db.session.commit()
    assert Kind.WEBHOOK not in kinds_written(2)


def test_a_providers_token_writes_keep_the_version_its_status_moves_it(app):
    row = ProviderIntegration(provider="zoom", status="connected", token_version=0)
    db.session.add(row)
    db.session.commit()
    assert "zoom" in enabled_providers()
    before = version()
    with write_transaction() as session:  # a refresh, as the meeting steps make it
        write_tokens(locked_integration(session, "zoom"), {"access_token": "fresh", "expires_in": 3600},
                     token_cipher(), NOW)
    assert version() == before
    disconnect("zoom", NOW)
    assert version() == before + 1
    assert "zoom" not in enabled_providers()
