"""Fixtures for the mail tests: transient bookings, mail settings and a bare app for templates."""
from datetime import datetime, timezone
from pathlib import Path

import pytest
from flask import Flask

from tests.factories import build_booking
from webapp.mail.messages import MailSettings
from webapp.models import Booking, BookingFollowUp

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


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
def app_context():
    """Push a bare app whose templates are the project's, as render_template needs."""
    app = Flask(__name__, template_folder=str(TEMPLATES))
    with app.app_context():
        yield app


@pytest.fixture
def make_follow_up():
    """Return a factory of unsaved follow-up messages."""
    def make(**params) -> BookingFollowUp:
        params.setdefault("subject", "How did it go?")
        params.setdefault("message", "Thanks for meeting us.")
        return BookingFollowUp(**params)
    return make
