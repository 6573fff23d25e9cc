"""Meetings through the service functions the worker calls, against each provider's stubs."""
import pytest

from tests.integration.integrations.support import (
    CLIENT_EMAIL,
    booking_with,
    connect_account,
    fresh,
    integration,
    move,
    now,
)
from webapp.extensions import db
from webapp.meetings import ProviderError
from webapp.services.meetings import delete_meeting, ensure_meeting, update_meeting
from webapp.services.settings import enabled_providers, save_settings

OAUTH = ["google_meet", "zoom", "teams"]
ALL = [*OAUTH, "whereby"]
#: the access token each API stub accepts
GOOD_TOKEN = {"google_meet": "google-access-token", "zoom": "zoom-access-token",
              "teams": "graph-access-token"}


@pytest.fixture
def connected(stubs):
    """Connect every OAuth provider with a working access token."""
    return {key: connect_account(key, stubs[key][1], access_token=GOOD_TOKEN[key]) for key in OAUTH}


def stored_meetings(stubs, key) -> dict:
    """The meetings (events) the provider's stub holds, by id."""
    api = stubs[key][0]
    return api.events if key == "google_meet" else api.meetings


def creates(stubs, key) -> list:
    """The create requests the provider's stub received."""
    return [r for r in stubs[key][0].calls("POST")]


@pytest.mark.parametrize("key", ALL)
def test_create_stores_the_providers_meeting_on_the_booking(app, stubs, connected, key):
    booking = booking_with(key)

    meeting = ensure_meeting(booking.id, now())

    stored = fresh(booking.id)
    assert (stored.meeting_provider, stored.meeting_id, stored.meeting_url) == (
        key, meeting.meeting_id, meeting.url)
    assert stored.meeting_error is None
    assert meeting.meeting_id in stored_meetings(stubs, key)


def test_google_event_has_the_client_as_attendee_and_a_meet_link(app, stubs, connected):
    booking = booking_with("google_meet")

    meeting = ensure_meeting(booking.id, now())

    event = stubs["google_meet"][0].events[meeting.meeting_id]
    assert [a["email"] for a in event["attendees"]] == [CLIENT_EMAIL]
    assert meeting.url == event["hangoutLink"] and meeting.url.startswith("https://meet.google.com/")
    assert stubs["google_meet"][0].calls("POST")[0].query["conferenceDataVersion"] == "1"


def test_zoom_meeting_has_a_waiting_room_passcode_and_the_recording_setting(app, stubs, connected):
    save_settings(zoom_auto_recording="cloud")
    booking = booking_with("zoom")

    meeting = ensure_meeting(booking.id, now())

    settings = stubs["zoom"][0].meetings[meeting.meeting_id]["settings"]
    assert settings["waiting_room"] is True and settings["auto_recording"] == "cloud"
    assert stubs["zoom"][0].meetings[meeting.meeting_id]["password"]


@pytest.mark.parametrize("key", ALL)
def test_repeating_a_create_never_makes_a_second_meeting(app, stubs, connected, key):
    booking = booking_with(key)

    first = ensure_meeting(booking.id, now())
    second = ensure_meeting(booking.id, now())

    assert first == second
    assert len(creates(stubs, key)) == 1 and len(stored_meetings(stubs, key)) == 1


@pytest.mark.parametrize("key", ["google_meet", "teams"])
def test_a_create_whose_answer_was_lost_finds_the_first_meeting(app, stubs, connected, key):
    booking = booking_with(key)
    first = ensure_meeting(booking.id, now())
    lost = fresh(booking.id)
    lost.meeting_id = lost.meeting_url = None  # as if the worker died before storing the answer
    db.session.commit()

    again = ensure_meeting(booking.id, now())

    assert again.meeting_id == first.meeting_id and len(stored_meetings(stubs, key)) == 1


@pytest.mark.parametrize("key", ALL)
def test_reschedule_moves_the_meeting_and_stores_what_the_provider_answers(app, stubs, connected, key):
    booking = booking_with(key)
    ensure_meeting(booking.id, now())
    moved = move(booking.id, hours=48)

    meeting = update_meeting(booking.id, now())

    stored = fresh(booking.id)
    assert (stored.meeting_id, stored.meeting_url) == (meeting.meeting_id, meeting.url)
    remote = stored_meetings(stubs, key)[meeting.meeting_id]
    start = {"google_meet": lambda m: m["start"]["dateTime"], "zoom": lambda m: m["start_time"],
             "teams": lambda m: m["startDateTime"], "whereby": lambda m: m["endDate"]}[key](remote)
    expected = moved.ends_at if key == "whereby" else moved.scheduled_at
    assert start.startswith(expected.strftime("%Y-%m-%dT%H:%M"))


def test_whereby_reschedule_replaces_a_room_that_ends_too_early(app, stubs):
    booking = booking_with("whereby")
    first = ensure_meeting(booking.id, now())
    move(booking.id, hours=72)

    second = update_meeting(booking.id, now())

    assert second.meeting_id != first.meeting_id
    assert fresh(booking.id).meeting_id == second.meeting_id
    assert list(stubs["whereby"][0].meetings) == [second.meeting_id]


@pytest.mark.parametrize("key", ALL)
def test_cancel_deletes_the_meeting(app, stubs, connected, key):
    booking = booking_with(key)
    meeting = ensure_meeting(booking.id, now())
    cancelled = fresh(booking.id)
    cancelled.status = "cancelled"
    db.session.commit()

    assert delete_meeting(booking.id, now()) is True

    remote = stored_meetings(stubs, key).get(meeting.meeting_id)
    assert remote is None or remote["status"] == "cancelled"  # Google keeps cancelled events
    assert delete_meeting(booking.id, now()) is True  # deleting twice is fine


@pytest.mark.parametrize("key", OAUTH)
def test_an_expired_access_token_is_refreshed_once_then_the_call_succeeds(app, stubs, key):
    api, oauth = stubs[key]
    account = connect_account(key, oauth, access_token="token-google-no-longer-accepts")
    booking = booking_with(key)

    meeting = ensure_meeting(booking.id, now())

    assert meeting.provider == key and fresh(booking.id).meeting_error is None
    assert len(oauth.calls("POST")) == 1  # one refresh
    row = integration(key)
    assert row.status == "connected" and row.token_version == 2
    if key in ("zoom", "teams"):  # rotating refresh tokens: the new one was stored, the old is dead
        assert account.refresh_token not in oauth.refresh_tokens and len(oauth.refresh_tokens) == 1


@pytest.mark.parametrize("key", OAUTH)
def test_a_token_about_to_expire_is_refreshed_before_the_call(app, stubs, key):
    api, oauth = stubs[key]
    connect_account(key, oauth, access_token=GOOD_TOKEN[key], expires_in=30)

    ensure_meeting(booking_with(key).id, now())

    assert len(oauth.calls("POST")) == 1
    assert all(r.header("authorization") != f"Bearer {GOOD_TOKEN[key]}" for r in api.requests)


@pytest.mark.parametrize("key", OAUTH)
def test_a_revoked_grant_disconnects_the_account_and_falls_back_to_jitsi(app, stubs, key):
    api, oauth = stubs[key]
    account = connect_account(key, oauth, access_token="revoked-access-token")
    oauth.revoke(account.refresh_token)
    booking = booking_with(key)

    meeting = ensure_meeting(booking.id, now())

    stored = fresh(booking.id)
    assert meeting.provider == stored.meeting_provider == "jitsi"
    assert stored.meeting_url.startswith("https://meet.jit.si/")
    assert "could not create the meeting" in stored.meeting_error and "Jitsi" in stored.meeting_error
    row = integration(key)
    assert row.status == "disconnected" and row.last_error and row.access_token_enc is None
    assert key not in enabled_providers()
    assert len(oauth.calls("POST")) == 1  # no retry loop on a dead grant


@pytest.mark.parametrize("status", [429, 500])
@pytest.mark.parametrize("key", ALL)
def test_rate_limits_and_outages_are_retried_then_fall_back_after_the_last_try(
        app, stubs, connected, key, status):
    booking = booking_with(key)
    stubs[key][0].fail_next(status, times=20, retry_after=1)

    with pytest.raises(ProviderError) as err:
        ensure_meeting(booking.id, now())
    assert err.value.retryable and fresh(booking.id).meeting_url is None

    meeting = ensure_meeting(booking.id, now(), final=True)

    stored = fresh(booking.id)
    assert meeting.provider == stored.meeting_provider == "jitsi"
    assert f"HTTP {status}" in stored.meeting_error
    if key != "whereby":
        assert integration(key).status == "connected"  # a provider outage is not a dead grant


def test_a_refused_whereby_key_falls_back_and_tells_the_admin(app, stubs):
    booking = booking_with("whereby")
    stubs["whereby"][0].fail_next(401)

    meeting = ensure_meeting(booking.id, now())

    assert meeting.provider == "jitsi"
    assert "Whereby" in fresh(booking.id).meeting_error
    assert integration("whereby").last_error


@pytest.mark.parametrize("key", OAUTH)
def test_a_move_that_keeps_failing_gives_the_booking_a_jitsi_room(app, stubs, connected, key):
    booking = booking_with(key)
    ensure_meeting(booking.id, now())
    move(booking.id, hours=24)
    stubs[key][0].fail_next(500, times=20)

    with pytest.raises(ProviderError):
        update_meeting(booking.id, now())
    meeting = update_meeting(booking.id, now(), final=True)

    stored = fresh(booking.id)
    assert meeting.provider == stored.meeting_provider == "jitsi"
    assert "could not move the meeting" in stored.meeting_error


@pytest.mark.parametrize("key", ALL)
def test_a_delete_that_keeps_failing_is_recorded_for_the_admin(app, stubs, connected, key):
    booking = booking_with(key)
    ensure_meeting(booking.id, now())
    cancelled = fresh(booking.id)
    cancelled.status = "cancelled"
    db.session.commit()
    stubs[key][0].fail_next(503, times=20)

    with pytest.raises(ProviderError):
        delete_meeting(booking.id, now())
    assert delete_meeting(booking.id, now(), final=True) is False

    assert "could not delete the meeting" in fresh(booking.id).meeting_error


def test_a_meeting_made_while_the_booking_moved_is_moved_too(app, stubs, connected):
    booking = booking_with("zoom")
    api = stubs["zoom"][0]
    original = api.create

    def create_then_move(req):
        reply = original(req)
        with app.app_context():  # a reschedule commits while the provider answers
            move(booking.id, hours=24)
        return reply

    api.create = create_then_move

    meeting = ensure_meeting(booking.id, now())

    remote = api.meetings[meeting.meeting_id]
    assert remote["start_time"].startswith(fresh(booking.id).scheduled_at.strftime("%Y-%m-%dT%H:%M"))


def test_jitsi_bookings_need_no_provider_calls(app):
    booking = booking_with("jitsi")

    meeting = ensure_meeting(booking.id, now())
    move(booking.id, hours=1)

    assert update_meeting(booking.id, now()) == meeting
    assert meeting.url.startswith("https://meet.jit.si/") and len(meeting.meeting_id) > 20
    assert fresh(booking.id).meeting_error is None
