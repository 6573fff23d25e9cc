"""The .ics invites: iTIP headers, zones across DST, cancellation, escaping."""
from datetime import datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from webapp.mail.ics import build_calendar
from webapp.mail.references import booking_reference

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def _build(booking, method="REQUEST", **kwargs) -> bytes:
    kwargs.setdefault("business_timezone", "Europe/Rome")
    return build_calendar(booking, method=method, organizer_email="noreply@studiocentos.it",
                          organizer_name="StudiocentOS", now=NOW, **kwargs)


def _event(data: bytes):
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def _unfolded_lines(data: bytes) -> list[str]:
    return data.decode().replace("\r\n ", "").split("\r\n")


def test_request_carries_itip_method_organizer_and_attendee(make_booking):
    calendar, event = _event(_build(make_booking(title="Intro call", version=2)))
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//StudiocentOS//Booking//EN"
    assert str(event["UID"]) == f"{booking_reference('bk_Q2xpZW50VWlk')}@studiocentos.it"
    assert event["SEQUENCE"] == 2
    assert event.decoded("DTSTAMP") == NOW
    assert str(event["SUMMARY"]) == "Intro call"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:noreply@studiocentos.it"
    assert event["ORGANIZER"].params["CN"] == "StudiocentOS"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:ada@example.com"
    assert dict(attendee.params) == {"CN": "Ada Lovelace", "ROLE": "REQ-PARTICIPANT",
                                     "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"}


def test_meeting_link_is_location_url_and_first_in_description(make_booking):
    booking = make_booking(description="Bring the brief.", client_notes="Call me Ada.")
    _, event = _event(_build(booking))
    assert str(event["LOCATION"]) == booking.meeting_url
    assert str(event["URL"]) == booking.meeting_url
    assert str(event["DESCRIPTION"]) == (
        f"Join: {booking.meeting_url}\n\nBring the brief.\n\nNotes: Call me Ada.")


def test_booking_without_meeting_link_has_no_location(make_booking):
    _, event = _event(_build(make_booking(meeting_url=None)))
    assert "LOCATION" not in event and "URL" not in event


def test_start_is_business_wall_clock_with_zone_data_after_spring_forward(make_booking):
    # 2026-03-29 is Rome's spring-forward: on the 30th 09:00 local is 07:00 UTC (CEST, +02:00).
    start = datetime(2026, 3, 30, 7, 0, tzinfo=timezone.utc)
    data = _build(make_booking(scheduled_at=start, ends_at=start + timedelta(minutes=45)))
    lines = _unfolded_lines(data)
    assert "DTSTART;TZID=Europe/Rome:20260330T090000" in lines
    assert "DTEND;TZID=Europe/Rome:20260330T094500" in lines
    calendar, event = _event(data)
    assert event.decoded("DTSTART") == start
    # The VTIMEZONE shipped in the file (not the reader's own zone data) gives +02:00 that day.
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/Rome"
    shipped = vtimezone.to_tz()
    assert datetime(2026, 3, 30, 9, 0, tzinfo=shipped).utcoffset() == timedelta(hours=2)
    assert datetime(2026, 3, 27, 9, 0, tzinfo=shipped).utcoffset() == timedelta(hours=1)


def test_cancel_keeps_uid_and_raises_sequence(make_booking):
    _, invite = _event(_build(make_booking(version=0)))
    calendar, cancel = _event(_build(make_booking(version=1, status="cancelled"), "CANCEL"))
    assert calendar["METHOD"] == "CANCEL"
    assert str(cancel["STATUS"]) == "CANCELLED"
    assert cancel["UID"] == invite["UID"]
    assert cancel["SEQUENCE"] > invite["SEQUENCE"]
    assert str(cancel["ATTENDEE"]) == "mailto:ada@example.com"


def test_uid_domain_overrides_the_organizer_domain(make_booking):
    _, event = _event(_build(make_booking(), uid_domain="booking.example.org"))
    assert str(event["UID"]) == f"{booking_reference('bk_Q2xpZW50VWlk')}@booking.example.org"


def test_the_invite_uid_carries_no_credential(make_booking):
    """The UID travels in every invite: it must not be the booking uid the API once accepted."""
    _, event = _event(_build(make_booking()))
    assert "bk_Q2xpZW50VWlk" not in str(event["UID"])
    assert str(event["UID"]).startswith("ref-")


def test_unknown_method_is_refused(make_booking):
    with pytest.raises(ValueError, match="PUBLISH"):
        _build(make_booking(), "PUBLISH")


INJECTION = "x\r\nATTENDEE:mailto:evil@example.com\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil"


@pytest.mark.parametrize("field", ["title", "client_notes", "description"])
def test_line_breaks_in_text_cannot_inject_properties(make_booking, field):
    data = _build(make_booking(**{field: INJECTION}))
    _, event = _event(data)  # still exactly one event
    assert str(event["ATTENDEE"]) == "mailto:ada@example.com"
    lines = _unfolded_lines(data)
    assert [line for line in lines if line.startswith(("ATTENDEE:", "UID:evil"))] == []
    assert "ATTENDEE:mailto:evil@example.com" in str(
        event["SUMMARY"] if field == "title" else event["DESCRIPTION"])


def test_line_breaks_in_name_or_address_cannot_inject_parameters(make_booking):
    booking = make_booking(client_name='Eve"\r\nATTENDEE:mailto:evil@example.com',
                           client_email="eve@example.com\r\nATTENDEE:mailto:evil@example.com")
    data = _build(booking)
    _, event = _event(data)
    assert not isinstance(event["ATTENDEE"], list)
    assert sum(line.startswith("ATTENDEE") for line in _unfolded_lines(data)) == 1
