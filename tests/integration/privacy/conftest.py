"""Privacy fixtures: a frozen clock, the admin's fixtures, and what an erased booking looks like."""
from datetime import date, datetime, timezone

import pytest

from tests.integration.admin.conftest import admin_client, admin_user, client  # noqa: F401  (fixtures)
from tests.integration.manage.conftest import rome  # noqa: F401  (re-exported for the tests)
from webapp.extensions import db
from webapp.models import Booking

NOW = datetime(2026, 11, 25, 8, tzinfo=timezone.utc)  # a Wednesday, 09:00 in Rome
MONDAY = date(2026, 11, 30)
TUESDAY = date(2026, 12, 1)


@pytest.fixture
def app_config():
    """Freeze the clock (the live server reads it on every request)."""
    return {"CLOCK": lambda: NOW}


def stored(booking_id: int) -> Booking:
    """Return the booking as the database has it now."""
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Booking, booking_id)


def is_erased(booking: Booking) -> bool:
    """Tell whether every personal field of the booking is blank (the placeholder address aside)."""
    return (booking.erased_at is not None and booking.client_name == "erased"
            and booking.client_email.endswith("@erased.invalid")
            and not any((booking.client_phone, booking.client_company, booking.description,
                         booking.client_notes, booking.internal_notes, booking.cancellation_reason,
                         booking.meeting_url)))
