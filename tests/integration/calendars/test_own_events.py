"""Our own events in a calendar never block: accepted invites, and events written into Google or Microsoft.

The host's calendar is read as an .ics feed served locally (as Google and Outlook publish
one); its events carry the UIDs the calendars give them.
"""
from datetime import datetime, timezone

import pytest
from icalendar import Calendar

from tests.factories import book
from tests.integration.calendars.support import NOW, feed_source, free_times, one_event
from webapp.extensions import db
from webapp.mail import messages
from webapp.models import WrittenEvent
from webapp.outbox.actions import mail_settings
from webapp.services.bookings import reschedule_booking
from webapp.services.calendar_sync import refresh_source
from webapp.services.tokens import manage_url

START = datetime(2026, 12, 2, 13, tzinfo=timezone.utc)  # 14:00 in Rome


@pytest.fixture
def app_config():
    """Freeze the clock; our invites' UIDs end in @studio.example."""
    return {"CLOCK": lambda: NOW, "FROM_EMAIL": "bookings@studio.example"}


def invite_of(booking) -> Calendar:
    """Return the invite (.ics) the client's confirmation email carries."""
    email = messages.confirmation(booking, settings=mail_settings(), manage_url=manage_url(booking.uid), now=NOW)
    [invite] = [a for a in email.attachments if a.filename == "invite.ics"]
    return Calendar.from_ical(invite.data)


def feed_of(*calendars: str) -> bytes:
    """Return one VCALENDAR holding the events of several."""
    events = [line for text in calendars for line in text.split("\r\n")[3:-2] if line]
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//EN", *events, "END:VCALENDAR", ""]).encode()


def test_an_accepted_invite_of_our_booking_does_not_block_but_another_installations_does(client, feed):
    booking = book(START, NOW).booking
    uid = str(invite_of(booking).walk("VEVENT")[0]["UID"])
    assert uid.startswith("ref-") and uid.endswith("@studio.example")
    dentist = uid.replace("@studio.example", "@dentist.example")  # booked with another installation
    feed.body = feed_of(one_event(uid, "20261202T130000Z", "20261202T133000Z"),
                        one_event(dentist, "20261203T130000Z", "20261203T133000Z"))
    source = feed_source(feed.url)
    assert refresh_source(source.id, NOW)

    # the booking moves away from 14:00: its invite, still in the calendar, does not hold the time
    reschedule_booking(booking.id, datetime(2026, 12, 2, 15, tzinfo=timezone.utc), NOW)
    assert "14:00" in free_times(client, "2026-12-02")
    assert "14:00" not in free_times(client, "2026-12-03")


def test_an_event_we_wrote_into_google_does_not_block_when_its_calendar_is_read_as_a_feed(client, feed):
    booking = book(START, NOW).booking
    source = feed_source(feed.url)
    db.session.add(WrittenEvent(source_id=source.id, booking_id=booking.id, host_id=source.host_id,
                                event_id="abc123", ical_uid="abc123@google.com", starts_at=START,
                                ends_at=START.replace(minute=30)))
    db.session.commit()
    feed.body = feed_of(one_event("abc123@google.com", "20261202T140000Z", "20261202T143000Z"),
                        one_event("someone-else@google.com", "20261203T130000Z", "20261203T133000Z"))
    assert refresh_source(source.id, NOW)
    assert "15:00" in free_times(client, "2026-12-02")
    assert "14:00" not in free_times(client, "2026-12-03")
