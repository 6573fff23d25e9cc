"""PostgreSQL refuses overlapping active bookings even when application checks are bypassed."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from tests.factories import store_booking
from webapp.extensions import db

START = datetime(2030, 1, 7, 9, tzinfo=timezone.utc)


@pytest.fixture
def database_url(postgres_url):
    """These tests need PostgreSQL's exclusion constraint."""
    return postgres_url


def test_two_overlapping_active_bookings_cannot_both_be_stored(app):
    store_booking(scheduled_at=START, status="confirmed")
    with pytest.raises(IntegrityError, match="bookings_no_overlap"):
        store_booking(scheduled_at=START + timedelta(minutes=15), status="pending")
    db.session.rollback()


def test_cancelled_bookings_and_back_to_back_meetings_are_allowed(app):
    store_booking(scheduled_at=START, status="cancelled")
    store_booking(scheduled_at=START, status="confirmed")
    store_booking(scheduled_at=START + timedelta(minutes=30), status="pending")
    assert db.session.scalar(db.select(db.func.count()).select_from(db.metadata.tables["bookings"])) == 3
