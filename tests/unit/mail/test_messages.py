"""Each kind of email: recipients, subject, both parts, both zones, invites, escaping."""
from datetime import datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from webapp.mail import messages
from webapp.mail.messages import MailSettings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
MANAGE = "https://book.example.org/manage/bk_Q2xpZW50VWlk?token=abc&x=1"
CLIENT_TIME = "Monday 30 March 2026, 08:00–09:00 BST (Europe/London)"
BUSINESS_TIME = "Monday 30 March 2026, 09:00–10:00 CEST (Europe/Rome)"


def _build_each_kind(booking, settings, follow_up):
    """Return every kind of email built for the booking."""
    return {
        "confirmation": messages.confirmation(booking, settings=settings, manage_url=MANAGE,
                                              now=NOW),
        "pending_approval": messages.pending_approval(booking, settings=settings,
                                                      manage_url=MANAGE),
        "reminder": messages.reminder(booking, settings=settings, manage_url=MANAGE),
        "update": messages.update(booking, settings=settings, manage_url=MANAGE, now=NOW),
        "cancellation": messages.cancellation(booking, settings=settings, now=NOW),
        "follow_up": messages.follow_up(booking, follow_up, settings=settings),
        "admin_new_booking": messages.admin_new_booking(booking, settings=settings),
        "admin_cancellation": messages.admin_cancellation(booking, settings=settings),
        "manage_links": messages.manage_links("ada@example.com", [(booking, MANAGE)],
                                              settings=settings),
    }


def _invite(email) -> Calendar:
    [attachment] = email.attachments
    assert attachment.filename == "invite.ics"
    return Calendar.from_ical(attachment.data)


@pytest.fixture
def each_kind(make_booking, settings, make_follow_up):
    booking = make_booking(client_name="Ada <b>& Co", cancellation_reason="Ill")
    return _build_each_kind(booking, settings, make_follow_up())


@pytest.mark.parametrize("kind", ["confirmation", "pending_approval", "reminder", "update",
                                  "cancellation", "follow_up", "admin_new_booking",
                                  "admin_cancellation", "manage_links"])
def test_every_kind_has_text_and_html_with_both_zones_labelled(each_kind, kind):
    email = each_kind[kind]
    assert email.from_email == "noreply@studiocentos.it" and email.from_name == "StudiocentOS"
    assert email.html.lstrip().startswith("<!doctype html>") and "</html>" in email.html
    assert "<p>" not in email.text
    for part in (email.text, email.html):
        if kind != "follow_up":  # a follow-up names the time once, in the client's zone
            assert BUSINESS_TIME in part
        assert CLIENT_TIME in part


@pytest.mark.parametrize("kind", ["confirmation", "pending_approval", "reminder", "update",
                                  "cancellation", "follow_up", "manage_links"])
def test_client_kinds_go_to_the_client(each_kind, kind):
    assert each_kind[kind].to == ["ada@example.com"]


def test_html_escapes_client_text_and_plain_text_does_not(each_kind):
    email = each_kind["confirmation"]
    assert "Ada &lt;b&gt;&amp; Co" in email.html and "Ada <b>& Co" not in email.html
    assert "Hello Ada <b>& Co," in email.text
    assert "token=abc&amp;x=1" in email.html
    assert f"Change or cancel your booking: {MANAGE}" in email.text


def test_confirmation_links_the_meeting_and_attaches_a_request_invite(each_kind):
    email = each_kind["confirmation"]
    assert email.subject == "Confirmed: Consultation, Mon 30 Mar 2026 08:00 BST"
    assert "Join the meeting: https://meet.jit.si/studiocentos-bk" in email.text
    assert 'href="https://meet.jit.si/studiocentos-bk"' in email.html
    [attachment] = email.attachments
    assert attachment.content_type == "text/calendar; method=REQUEST; charset=UTF-8"
    assert attachment.inline_method == "REQUEST"
    invite = _invite(email)
    assert invite["METHOD"] == "REQUEST"
    [event] = invite.walk("VEVENT")
    assert event.decoded("DTSTAMP") == NOW


def test_pending_approval_and_reminder_carry_no_invite(each_kind):
    assert each_kind["pending_approval"].attachments == []
    assert each_kind["reminder"].attachments == []
    assert "awaiting approval" in each_kind["pending_approval"].subject


def test_cancellation_gives_reason_and_cancel_invite_with_booking_sequence(
        make_booking, settings):
    booking = make_booking(status="cancelled", version=2,
                           cancellation_reason="Studio closed\nsorry")
    email = messages.cancellation(booking, settings=settings, now=NOW,
                                  book_url="https://book.example.org/")
    assert email.subject.startswith("Cancelled: Consultation")
    assert "Reason: Studio closed\nsorry" in email.text
    assert "Book another time: https://book.example.org/" in email.text
    invite = _invite(email)
    assert invite["METHOD"] == "CANCEL"
    assert email.attachments[0].content_type == "text/calendar; method=CANCEL; charset=UTF-8"
    [event] = invite.walk("VEVENT")
    assert event["SEQUENCE"] == 2 and str(event["STATUS"]) == "CANCELLED"


def test_update_shows_previous_and_new_time_with_updated_invite(make_booking, settings):
    booking = make_booking(version=1)
    old_start = booking.scheduled_at - timedelta(days=1)
    email = messages.update(booking, settings=settings, manage_url=MANAGE, now=NOW,
                            previous_start=old_start, previous_end=old_start + timedelta(hours=1))
    assert email.subject.startswith("Rescheduled: Consultation")
    previous = "Sunday 29 March 2026, 09:00–10:00 CEST (Europe/Rome)"
    assert email.text.index(previous) < email.text.index(BUSINESS_TIME)
    [event] = _invite(email).walk("VEVENT")
    assert event["SEQUENCE"] == 1


def test_follow_up_uses_its_subject_on_one_line_and_its_message(make_booking, settings,
                                                               make_follow_up):
    note = make_follow_up(subject="Thanks\r\nBcc: everyone@example.com",
                          message="Line one\nLine two")
    email = messages.follow_up(make_booking(), note, settings=settings)
    assert email.subject == "Thanks Bcc: everyone@example.com"
    assert "Line one\nLine two" in email.text
    assert "Line one\nLine two" in email.html


def test_admin_email_goes_to_admin_and_replies_reach_the_client(make_booking, settings):
    booking = make_booking(client_notes="Please call <first>", client_phone="+39 06 123")
    email = messages.admin_new_booking(booking, settings=settings,
                                       admin_url="https://book.example.org/admin/bookings/7")
    assert email.to == ["admin@studiocentos.it"]
    assert email.reply_to == "ada@example.com"
    assert "Please call <first>" in email.text and "Please call &lt;first&gt;" in email.html
    assert "+39 06 123" in email.text
    assert "https://book.example.org/admin/bookings/7" in email.html


def test_admin_email_without_admin_address_is_refused(make_booking, settings):
    no_admin = MailSettings(**{**settings.__dict__, "admin_email": None})
    with pytest.raises(ValueError, match="ADMIN_EMAIL"):
        messages.admin_new_booking(make_booking(), settings=no_admin)


def test_manage_links_lists_every_booking_with_its_own_link(make_booking, settings):
    first = make_booking(title="First")
    second = make_booking(title="Second", scheduled_at=datetime(2026, 4, 2, 8, tzinfo=timezone.utc))
    email = messages.manage_links("ada@example.com", [(first, "https://x/m/1"),
                                                      (second, "https://x/m/2")],
                                  settings=settings)
    assert email.to == ["ada@example.com"]
    for part in (email.text, email.html):
        assert part.index("First") < part.index("https://x/m/1") < part.index("Second")
        assert "https://x/m/2" in part
    assert "Thursday 2 April 2026, 10:00–11:00 CEST (Europe/Rome)" in email.text


def test_manage_links_without_bookings_says_so(settings):
    email = messages.manage_links("nobody@example.com", [], settings=settings)
    assert "You have no upcoming bookings." in email.text


def test_settings_from_config_reads_the_app_keys():
    settings = MailSettings.from_config({
        "BUSINESS_NAME": "Studio", "BOOKING_TIMEZONE": "Europe/Rome",
        "FROM_EMAIL": "noreply@studio.example", "FROM_NAME": "Studio Bookings",
        "ADMIN_EMAIL": "", "MAIL_REPLY_TO": "desk@studio.example"})
    assert settings == MailSettings("Studio", "Europe/Rome", "noreply@studio.example",
                                    "Studio Bookings", None, "desk@studio.example")
