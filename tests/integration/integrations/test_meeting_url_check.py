"""A provider answering with a link that is not https fails the meeting step: never stored, linked or mailed."""
from pathlib import Path

import pytest

from tests.factories import book as book_through_service
from tests.integration.integrations.support import CLIENT_EMAIL, connect_account, fresh, now
from tests.integration.integrations.test_meeting_outbox import perform_due
from tests.integration.notifications.support import weekday_at

#: what a misbehaving provider hands back as the meeting's join link
BAD_LINKS = ["javascript:alert(document.cookie)", "http://zoom.example/j/1", "https:///no-host",
             "https://zoom.us/j/1\njavascript:alert(1)"]


@pytest.mark.parametrize("link", BAD_LINKS)
def test_a_bad_zoom_link_falls_back_to_jitsi_and_reaches_no_page_or_email(app, client, stubs, link):
    zoom = stubs["zoom"][0]
    connect_account("zoom", stubs["zoom"][1], access_token="zoom-access-token")
    zoom.fail_next(201, body={"id": 85746065, "join_url": link})  # a 201 with the bad link
    created = book_through_service(weekday_at(10, 3, now()), now(), meeting_provider="zoom",
                                   client_email=CLIENT_EMAIL)

    perform_due(now())

    stored = fresh(created.booking.id)
    assert stored.status == "confirmed" and stored.meeting_provider == "jitsi"
    assert stored.meeting_url.startswith("https://meet.jit.si/")
    assert "Zoom could not create the meeting" in stored.meeting_error
    assert "https URL" in stored.meeting_error or "valid URL" in stored.meeting_error
    page = client.get(f"/booking/{created.manage_token}").text
    mails = [p.read_text(errors="replace") for p in Path(app.config["MAIL_DIR"]).glob("*.eml")]
    assert mails and all(link not in text and "javascript:" not in text for text in [page, *mails])


def test_a_bad_whereby_link_is_not_stored(app, stubs):
    whereby = stubs["whereby"][0]
    created = book_through_service(weekday_at(10, 3, now()), now(), meeting_provider="whereby",
                                   client_email=CLIENT_EMAIL)
    whereby.fail_next(201, body={"meetingId": "4242", "roomUrl": "javascript:alert(1)"})

    perform_due(now())

    stored = fresh(created.booking.id)
    assert stored.meeting_provider == "jitsi" and "javascript" not in stored.meeting_url
