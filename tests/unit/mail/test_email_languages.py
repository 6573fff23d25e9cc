"""Every email is written whole in the booking's language: subject, text, HTML and the invite's notes."""
import re
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest
from icalendar import Calendar

from tests.unit.mail.test_messages import MANAGE, NOW, _build_each_kind
from webapp.mail import messages

KINDS = ["confirmation", "pending_approval", "reminder", "update", "cancellation", "follow_up",
         "meeting_link", "admin_new_booking", "admin_cancellation", "manage_links"]
#: words of the English emails that an Italian one must not contain (Italian shares "email", "link")
ENGLISH_WORDS = {
    "the", "your", "you", "with", "has", "been", "is", "are", "of", "and", "to", "for", "it", "was",
    "hello", "booking", "bookings", "manage", "meeting", "reason", "join", "calendar", "attached",
    "cancelled", "confirmed", "pending", "reminder", "open", "reply", "client", "notes", "phone",
    "company", "zone", "now", "about", "this", "upcoming", "received", "new", "none", "given",
    "change", "cancel", "follows", "separate", "ready", "moved", "time", "asked", "ignore",
    "monday", "tuesday", "march", "mon", "am", "pm", "language",
}
#: words only the Italian emails use
ITALIAN_WORDS = {"gentile", "buongiorno", "prenotazione", "prenotazioni", "tua", "lunedì", "marzo", "cliente",
                 "incontro"}


class _Text(HTMLParser):
    """Collect an HTML part's visible text (no tags, no attributes)."""

    def __init__(self):
        super().__init__()
        self.chunks = []

    def handle_data(self, data):
        self.chunks.append(data)


def _visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.chunks)


def _words(text: str) -> set[str]:
    """Return the lower-cased words of `text`, leaving out web and email addresses."""
    text = re.sub(r"\S+@\S+|https?://\S+", " ", text)
    return set(re.findall(r"[^\W\d_]+", text.lower()))


def _each_kind(make_booking, settings, make_follow_up, locale: str) -> dict:
    """Build every kind for one booking in `locale` whose own data holds no English or Italian word."""
    booking = make_booking(locale=locale, client_name="Ada Zeta", title="Yoga", service_type="yoga",
                           client_phone="+39 333", client_company="Zeta Srl", client_notes="Xyz",
                           cancellation_reason="Qwerty", meeting_url="https://meet.jit.si/xk")
    emails = _build_each_kind(booking, settings, make_follow_up(subject="Yoga", message="Ok"))
    emails["meeting_link"] = messages.meeting_link(booking, settings=settings, manage_url=MANAGE)
    emails["update"] = messages.update(booking, settings=settings, manage_url=MANAGE, now=NOW,
                                       previous_start=booking.scheduled_at - timedelta(days=1),
                                       previous_end=booking.ends_at - timedelta(days=1))
    emails["manage_links"] = messages.manage_links("ada@example.com", [(booking, MANAGE)],
                                                   settings=settings, language=locale)
    for kind in ("admin_new_booking", "admin_cancellation"):  # the admin's language is the booking's here
        emails[kind] = getattr(messages, kind)(booking, settings=settings, language=locale)
    return emails


def _parts(email) -> dict[str, str]:
    """Return what a reader sees: the subject, the text part, the HTML part's text, the invite's notes."""
    parts = {"subject": email.subject, "text": email.text, "html": _visible(email.html)}
    for attachment in email.attachments:
        [event] = Calendar.from_ical(attachment.data).walk("VEVENT")
        parts["ics"] = str(event.get("DESCRIPTION", ""))
    return parts


@pytest.mark.parametrize("kind", KINDS)
def test_an_italian_booking_gets_each_email_wholly_in_italian(make_booking, settings, make_follow_up, kind):
    email = _each_kind(make_booking, settings, make_follow_up, "it")[kind]

    for name, part in _parts(email).items():
        assert _words(part) & ENGLISH_WORDS == set(), f"English left in the {name} of {kind}"
        if name in ("text", "html"):
            assert _words(part) & ITALIAN_WORDS, f"the {name} of {kind} is not Italian"
    assert 'lang="it"' in email.html
    if kind not in ("follow_up", "manage_links"):  # their subjects are the admin's / the business's
        assert _words(email.subject) & {"confermata", "promemoria", "annullata", "spostata", "nuova",
                                        "ricevuta", "link", "lunedì", "lun"}


@pytest.mark.parametrize("kind", KINDS)
def test_an_english_booking_gets_each_email_in_english(make_booking, settings, make_follow_up, kind):
    email = _each_kind(make_booking, settings, make_follow_up, "en")[kind]

    for name, part in _parts(email).items():
        assert _words(part) & ITALIAN_WORDS == set(), f"Italian in the {name} of {kind}"
    assert _words(email.text) & {"hello", "booking", "bookings"}
    assert 'lang="en"' in email.html


def test_italian_times_are_cldr_dates_on_a_24_hour_clock(make_booking, settings):
    booking = make_booking(locale="it", scheduled_at=datetime(2026, 3, 30, 13, 30, tzinfo=timezone.utc),
                           timezone="Europe/Rome")

    email = messages.reminder(booking, settings=settings, manage_url=MANAGE)

    assert "lunedì 30 marzo 2026, 15:30–16:30 CEST (Europe/Rome)" in email.text
    assert email.subject == "Promemoria: Consultation, lun 30 mar 2026 15:30 CEST"


def test_the_lost_link_email_follows_the_requesters_language_over_the_bookings(make_booking, settings):
    italian_booking = make_booking(locale="it")

    asked_in_english = messages.manage_links("ada@example.com", [(italian_booking, MANAGE)],
                                             settings=settings, language="en")
    queued_before_languages = messages.manage_links("ada@example.com", [(italian_booking, MANAGE)],
                                                    settings=settings)

    assert asked_in_english.subject == "Your bookings with StudiocentOS" and "Monday" in asked_in_english.text
    assert "lunedì" in queued_before_languages.text


def test_the_admin_notice_is_in_the_business_language_when_no_account_chose(make_booking, settings):
    from dataclasses import replace

    booking = make_booking(locale="en")

    italian_business = messages.admin_new_booking(booking, settings=replace(settings, default_language="it"))
    chosen_english = messages.admin_new_booking(booking, settings=replace(settings, default_language="it"),
                                                language="en")

    assert italian_business.subject.startswith("Nuova prenotazione: Ada Lovelace")
    assert "Lingua del cliente: English" in italian_business.text
    assert chosen_english.subject.startswith("New booking: Ada Lovelace")
