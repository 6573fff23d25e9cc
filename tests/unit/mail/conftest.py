"""Fixtures for the mail tests: transient bookings and mail settings (emails render without an app)."""
from datetime import datetime, timezone

import pytest

from tests.factories import build_booking
from webapp.mail.messages import MailSettings
from webapp.models import Booking, BookingFollowUp


@pytest.fixture
def make_booking():
    """Return a factory of unsaved bookings: a confirmed hour in March 2026, client in London."""
    def make(**params) -> Booking:
        params.setdefault("scheduled_at", datetime(2026, 3, 30, 7, 0, tzinfo=timezone.utc))
        defaults = dict(duration_minutes=60, uid="bk_Q2xpZW50VWlk", client_name="Ada Lovelace",
                        client_email="ada@example.com", title="Consultation",
                        timezone="Europe/London", status="confirmed",
                        meeting_url="https://meet.jit.si/studiocentos-bk")
        return build_booking(**{**defaults, **params})
    return make


@pytest.fixture
def settings() -> MailSettings:
    """Return the sender and business the emails are from."""
    return MailSettings(business_name="StudiocentOS", business_timezone="Europe/Rome",
                        from_email="noreply@studiocentos.it", from_name="StudiocentOS",
                        admin_email="admin@studiocentos.it")


@pytest.fixture
def make_follow_up():
    """Return a factory of unsaved follow-up messages."""
    def make(**params) -> BookingFollowUp:
        params.setdefault("subject", "How did it go?")
        params.setdefault("message", "Thanks for meeting us.")
        return BookingFollowUp(**params)
    return make
