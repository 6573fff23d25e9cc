"""Operations fixtures: a frozen clock, a migrated database, a scrape parsed into samples."""
from datetime import datetime, timezone

import pytest
from flask_migrate import stamp
from prometheus_client.parser import text_string_to_metric_families

from tests.deploy.conftest import gunicorn  # noqa: F401  (a fixture the multiprocess test uses)

#: Tuesday 4 November 2025, 09:00 in Rome (the seed's examples book the next morning)
NOW = datetime(2025, 11, 4, 8, tzinfo=timezone.utc)
API = "/api/v1/booking"
BOOKING = {
    "client_name": "Giulia Bianchi", "client_email": "giulia.bianchi@example.com",
    "service_type": "consultation", "scheduled_at": "2025-11-05T09:00:00",
    "duration_minutes": 30, "timezone": "Europe/Rome", "meeting_provider": "jitsi",
}


@pytest.fixture
def app_config():
    """Freeze the clock the day before BOOKING's time."""
    return {"CLOCK": lambda: NOW}


@pytest.fixture
def migrated(app):
    """Mark the test's schema (made by create_all) as migrated to head, as `db upgrade` would."""
    stamp()
    return app


def scrape(client, **kwargs) -> dict:
    """GET /metrics and return {(sample name, sorted labels): value}."""
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.status_code
    return samples(response.get_data(as_text=True))


def samples(text: str) -> dict:
    """Parse Prometheus text into {(sample name, sorted label pairs): value}."""
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(scraped: dict, name: str, **labels) -> float:
    """Return one sample's value from a scrape (0 when absent)."""
    return scraped.get((name, tuple(sorted(labels.items()))), 0.0)
