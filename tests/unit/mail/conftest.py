"""Fixtures for the mail tests: transient bookings, mail settings and a bare app for templates."""
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from flask import Flask

from webapp.mail.messages import MailSettings
from webapp.models import Booking, BookingFollowUp

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


@pytest.fixture
def make_booking():
    """Return a factory of unsaved bookings; a test passes only what matters to it."""
    def make(**params) -> Booking:
        start = params.setdefault("scheduled_at", datetime(2026, 3, 30, 7, 0, tzinfo=timezone.utc))
        params.setdefault("duration_minutes", 60)
        params.setdefault("ends_at", start + timedelta(minutes=params["duration_minutes"]))
        params.setdefault("uid", "bk_Q2xpZW50VWlk")
        params.setdefault("client_name", "Ada Lovelace")
        params.setdefault("client_email", "ada@example.com")
        params.setdefault("service_type", "consultation")
        params.setdefault("title", "Consultation")
        params.setdefault("timezone", "Europe/London")
        params.setdefault("status", "confirmed")
        params.setdefault("meeting_provider", "jitsi")
        params.setdefault("meeting_url", "https://meet.jit.si/studiocentos-bk")
        params.setdefault("version", 0)
        return Booking(**params)
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
