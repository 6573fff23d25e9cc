"""Client emails are rendered in the booking's language (pure: no app needed)."""
from datetime import datetime, timezone

from webapp.mail.rendering import render_email
from webapp.mail.timefmt import format_span


def test_the_italian_email_and_its_dates_are_italian():
    start, end = datetime(2026, 3, 30, 7, tzinfo=timezone.utc), datetime(2026, 3, 30, 8, tzinfo=timezone.utc)
    context = {"booking": type("B", (), {"client_name": "Mario", "meeting_url": None, "title": "Call"})(),
               "business_name": "Studio", "when": [format_span(start, end, "Europe/Rome", "it")]}

    text = render_email("emails/confirmation.txt", context, "it")

    assert "Gentile Mario" in text and "è confermata" in text and "lunedì 30 marzo 2026, 09:00–10:00" in text
    assert "Hello Mario" in render_email("emails/confirmation.txt", context, "en")
