"""Microsoft Teams through the Graph stub."""
from datetime import timedelta

import pytest

from webapp.meetings import build_provider


@pytest.fixture
def teams(graph_stub):
    return build_provider("teams", {"GRAPH_API_BASE_URL": graph_stub.url}, lambda: "graph-access-token")


def test_create_makes_an_online_meeting_keyed_by_the_booking(teams, graph_stub, make_request):
    meeting = teams.create(make_request())

    stored = graph_stub.meetings[meeting.meeting_id]
    assert meeting.url == stored["joinWebUrl"]
    assert stored["externalId"] == "bk_7f3a9c2e"
    assert stored["subject"] == "Consultation with Ada"


def test_repeating_a_create_returns_the_first_meeting(teams, graph_stub, make_request):
    assert teams.create(make_request()) == teams.create(make_request())
    assert len(graph_stub.meetings) == 1


def test_reschedule_patches_start_and_end(teams, graph_stub, make_request):
    created = teams.create(make_request())
    later = make_request().start + timedelta(days=2)

    moved = teams.update(created.meeting_id, make_request(start=later))

    assert moved == created
    stored = graph_stub.meetings[created.meeting_id]
    assert stored["startDateTime"] == later.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_cancel_deletes_the_meeting_and_a_second_delete_is_fine(teams, graph_stub, make_request):
    created = teams.create(make_request())

    teams.delete(created.meeting_id)
    teams.delete(created.meeting_id)

    assert graph_stub.meetings == {}
