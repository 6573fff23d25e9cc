"""Zoom through the Zoom API stub."""
from datetime import timedelta

import pytest

from webapp.meetings import build_provider


@pytest.fixture
def zoom(zoom_stub):
    return build_provider("zoom", {"ZOOM_API_BASE_URL": zoom_stub.url}, lambda: "zoom-access-token")


def test_create_schedules_a_meeting_with_the_booking_settings(zoom, zoom_stub, make_request):
    options = {"waiting_room": True, "passcode": True, "auto_recording": "cloud"}

    meeting = zoom.create(make_request(options=options))

    stored = zoom_stub.meetings[meeting.meeting_id]
    assert meeting.url == stored["join_url"]
    assert stored["duration"] == 45 and stored["timezone"] == "Europe/Rome"
    assert stored["settings"] == {"waiting_room": True, "join_before_host": False,
                                  "auto_recording": "cloud"}
    assert len(stored["password"]) == 10


def test_create_without_options_sends_no_passcode_and_no_recording(zoom, zoom_stub, make_request):
    zoom.create(make_request())

    sent = zoom_stub.calls("POST")[0].json()
    assert "password" not in sent
    assert sent["settings"]["auto_recording"] == "none"


def test_a_passcode_over_ten_characters_is_refused_before_calling_zoom(zoom, zoom_stub, make_request):
    with pytest.raises(ValueError):
        zoom.create(make_request(options={"passcode": "much-too-long"}))

    assert zoom_stub.requests == []


def test_reschedule_patches_the_meeting_and_keeps_the_join_url(zoom, zoom_stub, make_request):
    created = zoom.create(make_request())
    later = make_request().start + timedelta(hours=2)

    moved = zoom.update(created.meeting_id, make_request(start=later, end=later + timedelta(minutes=30)))

    assert moved == created
    stored = zoom_stub.meetings[created.meeting_id]
    assert stored["start_time"] == later.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert stored["duration"] == 30


def test_cancel_deletes_the_meeting_and_a_second_delete_is_fine(zoom, zoom_stub, make_request):
    created = zoom.create(make_request())

    zoom.delete(created.meeting_id)
    zoom.delete(created.meeting_id)  # Zoom answers 404, code 3001

    assert zoom_stub.meetings == {}
