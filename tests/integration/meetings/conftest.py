"""Fixtures for the meeting-provider tests: stub servers and a request factory."""
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:  # `pytest` alone does not put the project root on sys.path
    sys.path.insert(0, str(ROOT))

from tests.stubs.fixtures import (  # noqa: E402,F401  (fixtures are used by name)
    google_oauth_stub,
    google_stub,
    graph_stub,
    whereby_stub,
    zoom_oauth_stub,
    zoom_stub,
)
from webapp.meetings import MeetingRequest  # noqa: E402

START = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=3)


@pytest.fixture
def make_request():
    """Build a MeetingRequest with defaults; a test states only what matters to it."""

    def make(**fields):
        fields.setdefault("request_id", "bk_7f3a9c2e")
        fields.setdefault("title", "Consultation with Ada")
        fields.setdefault("description", "Booked through StudiocentOS")
        fields.setdefault("start", START)
        fields.setdefault("end", fields["start"] + timedelta(minutes=45))
        fields.setdefault("timezone", "Europe/Rome")
        fields.setdefault("attendee_email", "ada@example.com")
        fields.setdefault("attendee_name", "Ada Lovelace")
        return MeetingRequest(**fields)

    return make
