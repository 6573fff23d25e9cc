"""Manage-page fixtures: a frozen clock and bookings made through the service."""
from datetime import date, datetime, time, timezone

import pytest

from tests import factories
from webapp.scheduling import get_zone, local_to_utc

NOW = datetime(2026, 11, 25, 8, tzinfo=timezone.utc)  # a Wednesday, 09:00 in Rome


def rome(day: date, hour: int, minute: int = 0) -> datetime:
    """Return the UTC instant of a wall time in Rome."""
    return local_to_utc(datetime.combine(day, time(hour, minute)), get_zone("Europe/Rome"))


@pytest.fixture
def app_config():
    """Freeze the clock so the calendar and the policy window are predictable."""
    return {"CLOCK": lambda: NOW}


@pytest.fixture
def book(app):
    """Make a booking through the service; returns (booking, manage token)."""
    def make(start: datetime, email: str = "mario@example.com", **fields):
        created = factories.book(start, NOW, client_email=email, **fields)
        return created.booking, created.manage_token
    return make
