"""API fixtures: a clock just before the seed's example day, Google Meet connected, helpers."""
from datetime import datetime, timezone

import pytest

from webapp.extensions import db
from webapp.models import Booking, IdempotencyRecord, OutboxMessage, ProviderIntegration
from webapp.services.api_tokens import create_api_token

#: Tuesday 4 November 2025, 09:00 in Rome: the seed's examples book Wednesday 5th at 09:00
NOW = datetime(2025, 11, 4, 8, tzinfo=timezone.utc)
API = "/api/v1/booking"
SEED_BOOKING = {
    "client_name": "Mario Rossi",
    "client_email": "mario@example.com",
    "client_phone": "+39 123 456 7890",
    "client_company": "Acme Inc",
    "service_type": "consultation",
    "title": "Consulenza StudiocentOS Framework",
    "description": "Vorrei discutere l'integrazione",
    "scheduled_at": "2025-11-05T09:00:00",
    "duration_minutes": 30,
    "timezone": "Europe/Rome",
    "meeting_provider": "google_meet",
    "client_notes": "Preferisco Google Meet",
}
SEED_AVAILABILITY = {
    "start_date": "2025-11-05",
    "end_date": "2025-11-12",
    "service_type": "consultation",
    "timezone": "Europe/Rome",
}


@pytest.fixture
def app_config():
    """Freeze the clock the day before the seed's example booking."""
    return {"CLOCK": lambda: NOW}


@pytest.fixture(autouse=True)
def google_meet_connected(app):
    """Connect Google Meet, the provider the seed's examples ask for."""
    db.session.add(ProviderIntegration(provider="google_meet", status="connected",
                                       account_email="studio@example.com"))
    db.session.commit()


@pytest.fixture
def admin_token(app) -> str:
    """An admin API token."""
    return create_api_token("tests")


def snapshot() -> tuple:
    """Return everything a refused request must leave unchanged."""
    db.session.rollback()
    bookings = db.session.execute(db.select(
        Booking.id, Booking.status, Booking.version, Booking.scheduled_at,
        Booking.cancellation_reason).order_by(Booking.id)).all()
    count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
    return (tuple(bookings), count(OutboxMessage), count(IdempotencyRecord))
