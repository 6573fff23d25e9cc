"""A booking's host organizes its invite and hears of it, beside the business's address."""
from icalendar import Calendar

from tests.unit.mail.test_messages import NOW
from webapp.mail import messages
from webapp.models import Host


def with_host(booking, email: str = "bea@studio.example"):
    """Give an unsaved booking one host."""
    booking.hold_hosts([Host(slug="bea", name="Bea Host", email=email, timezone="Europe/Rome")])
    return booking


def test_the_host_is_the_invites_organizer_and_the_uid_keeps_the_senders_domain(make_booking, settings):
    email = messages.confirmation(with_host(make_booking()), settings=settings, manage_url="https://x", now=NOW)
    event = Calendar.from_ical(email.attachments[0].data).walk("VEVENT")[0]
    assert str(event["ORGANIZER"]) == "mailto:bea@studio.example"
    assert event["ORGANIZER"].params["CN"] == "Bea Host"
    assert str(event["UID"]).endswith("@studiocentos.it")


def test_new_booking_and_cancellation_notices_go_to_the_admin_and_the_host(make_booking, settings):
    booking = with_host(make_booking(cancellation_reason="Ill"))
    for build in (messages.admin_new_booking, messages.admin_cancellation):
        assert build(booking, settings=settings).to == ["admin@studiocentos.it", "bea@studio.example"]


def test_a_host_who_is_the_admin_gets_one_notice(make_booking, settings):
    booking = with_host(make_booking(), email="admin@studiocentos.it")
    assert messages.admin_new_booking(booking, settings=settings).to == ["admin@studiocentos.it"]
