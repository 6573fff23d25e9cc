"""Google Meet through the Calendar API stub."""
from datetime import timedelta

import pytest

from webapp.meetings import ProviderError, build_provider
from webapp.meetings.google_meet import event_id_for


@pytest.fixture
def google(google_stub):
    config = {"GOOGLE_API_BASE_URL": google_stub.url}
    return build_provider("google_meet", config, token_getter=lambda: "google-access-token")


def test_create_makes_an_event_with_the_client_and_a_meet_link(google, google_stub, make_request):
    meeting = google.create(make_request())

    event = google_stub.events[meeting.meeting_id]
    assert meeting.url == event["hangoutLink"]
    assert meeting.url.startswith("https://meet.google.com/")
    assert event["attendees"] == [{"email": "ada@example.com", "displayName": "Ada Lovelace"}]
    assert event["start"]["timeZone"] == "Europe/Rome"
    sent = google_stub.calls("POST")[0]
    assert sent.query == {"conferenceDataVersion": "1", "sendUpdates": "none"}


def test_repeating_a_create_returns_the_first_event(google, google_stub, make_request):
    first = google.create(make_request())
    second = google.create(make_request())

    assert second == first
    assert len(google_stub.events) == 1


def test_different_bookings_get_different_events(google, google_stub, make_request):
    google.create(make_request(request_id="bk_one"))
    google.create(make_request(request_id="bk_two"))

    assert len(google_stub.events) == 2


def test_create_waits_one_read_for_a_pending_conference(google, google_stub, make_request):
    google_stub.pending_conferences = 1

    meeting = google.create(make_request())

    assert meeting.url.startswith("https://meet.google.com/")
    assert [r.method for r in google_stub.requests] == ["POST", "GET"]


def test_reschedule_patches_the_event_and_keeps_the_link(google, google_stub, make_request):
    created = google.create(make_request())
    later = make_request().start + timedelta(days=1)

    moved = google.update(created.meeting_id, make_request(start=later))

    assert moved == created
    event = google_stub.events[created.meeting_id]
    assert event["start"]["dateTime"] == later.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_cancel_deletes_the_event_and_a_second_delete_is_fine(google, google_stub, make_request):
    created = google.create(make_request())

    google.delete(created.meeting_id)
    google.delete(created.meeting_id)  # Google answers 410 Gone now

    assert google_stub.events[created.meeting_id]["status"] == "cancelled"


def test_updating_an_unknown_event_is_a_final_error(google, make_request):
    with pytest.raises(ProviderError) as err:
        google.update(event_id_for("never-created"), make_request())

    assert err.value.status == 404 and not err.value.retryable


def test_google_quota_403_is_retryable(google, google_stub, make_request):
    quota = {"error": {"code": 403, "message": "Rate Limit Exceeded",
                       "errors": [{"reason": "rateLimitExceeded"}]}}
    google_stub.fail_next(403, body=quota)

    with pytest.raises(ProviderError) as err:
        google.create(make_request())

    assert err.value.retryable
