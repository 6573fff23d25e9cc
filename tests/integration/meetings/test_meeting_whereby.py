"""Whereby through the Whereby API stub."""
from datetime import timedelta

import pytest

from webapp.meetings import build_provider


@pytest.fixture
def whereby(whereby_stub):
    config = {"WHEREBY_API_BASE_URL": whereby_stub.url, "WHEREBY_API_KEY": "whereby-api-key"}
    return build_provider("whereby", config)


def test_create_makes_a_room_that_lasts_until_the_meeting_ends(whereby, whereby_stub, make_request):
    req = make_request(options={"waiting_room": True})

    meeting = whereby.create(req)

    stored = whereby_stub.meetings[meeting.meeting_id]
    assert meeting.url == stored["roomUrl"]
    assert stored["endDate"] == req.end.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert whereby_stub.calls("POST")[0].json()["isLocked"] is True


def test_moving_earlier_keeps_the_room(whereby, whereby_stub, make_request):
    created = whereby.create(make_request())
    earlier = make_request().start - timedelta(hours=1)

    moved = whereby.update(created.meeting_id, make_request(start=earlier))

    assert moved == created
    assert list(whereby_stub.meetings) == [created.meeting_id]


def test_moving_later_replaces_the_room_and_deletes_the_old_one(whereby, whereby_stub, make_request):
    created = whereby.create(make_request())
    later = make_request().start + timedelta(days=1)

    moved = whereby.update(created.meeting_id, make_request(start=later))

    assert moved.meeting_id != created.meeting_id
    assert list(whereby_stub.meetings) == [moved.meeting_id]


def test_rescheduling_a_room_that_is_gone_makes_a_new_one(whereby, whereby_stub, make_request):
    moved = whereby.update("12345678", make_request())

    assert list(whereby_stub.meetings) == [moved.meeting_id]


def test_cancel_deletes_the_room_and_a_second_delete_is_fine(whereby, whereby_stub, make_request):
    created = whereby.create(make_request())

    whereby.delete(created.meeting_id)
    whereby.delete(created.meeting_id)

    assert whereby_stub.meetings == {}
