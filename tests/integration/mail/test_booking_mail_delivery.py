"""Rendered booking emails delivered through a real SMTP server, read back as a client would."""
from datetime import datetime, timezone
from email import message_from_bytes, policy

from icalendar import Calendar

from webapp.mail import messages
from webapp.mail.smtp import SmtpTransport

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def _deliver(email, smtp_server):
    """Send through the real server and return the one message it received, parsed."""
    inbox, port = smtp_server
    SmtpTransport(host="127.0.0.1", port=port).send(email)
    [envelope] = inbox.envelopes
    inbox.envelopes.clear()
    return message_from_bytes(envelope.original_content, policy=policy.default)


def _invites(msg) -> list[Calendar]:
    """Return every calendar in the message: the inline alternative and the attachment."""
    return [Calendar.from_ical(part.get_payload(decode=True)) for part in msg.walk()
            if part.get_content_type() == "text/calendar"]


def test_confirmation_then_cancellation_arrive_with_matching_invites(
        smtp_server, make_booking, settings):
    booking = make_booking(client_name="Zoë <Müller>", title="Consulenza")
    confirmed = _deliver(messages.confirmation(booking, settings=settings,
                                               manage_url="https://x/m/1", now=NOW), smtp_server)
    booking.status, booking.version, booking.cancellation_reason = "cancelled", 1, "Studio closed"
    cancelled = _deliver(messages.cancellation(booking, settings=settings, now=NOW), smtp_server)

    assert "Hello Zoë <Müller>," in confirmed.get_body(("plain",)).get_content()
    assert "Hello Zoë &lt;Müller&gt;," in confirmed.get_body(("html",)).get_content()
    requests, cancels = _invites(confirmed), _invites(cancelled)
    assert [c["METHOD"] for c in requests] == ["REQUEST", "REQUEST"]
    assert [c["METHOD"] for c in cancels] == ["CANCEL", "CANCEL"]
    [request_event], [cancel_event] = requests[0].walk("VEVENT"), cancels[0].walk("VEVENT")
    assert cancel_event["UID"] == request_event["UID"]
    assert cancel_event["SEQUENCE"] > request_event["SEQUENCE"]
    assert request_event["ATTENDEE"].params["CN"] == "Zoë <Müller>"
