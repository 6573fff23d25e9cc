"""Client emails go out in the booking's language whoever triggers them, read back from a real SMTP server.

The app runs its outbox in process (no Redis) and mails a real aiosmtpd server; the admin works through
the admin pages (test client), in their own language, which never changes the client's.
"""
from datetime import datetime, timedelta, timezone

import pytest

from tests import factories
from tests.conftest import csrf_from
from tests.integration.notifications.support import ADMIN, text_part, wait_until, weekday_at
from webapp import outbox
from webapp.extensions import db
from webapp.models import OutboxMessage, ServiceType
from webapp.services.admin_accounts import create_admin

PASSWORD = "a long admin password"
ENGLISH_CLIENT, ITALIAN_CLIENT = "ada@example.com", "mario@example.com"


@pytest.fixture
def database_url(postgres_url):
    """PostgreSQL: the runner's threads and the admin's requests write at the same time."""
    return postgres_url


@pytest.fixture
def app_config(mailbox):
    """No Redis: the outbox runs in this process (sweeping every second) and mails the test's SMTP server."""
    return {"REDIS_URL": None, "JOBS_AUTOSTART": True, "SWEEP_INTERVAL_SECONDS": 1, "ADMIN_EMAIL": ADMIN,
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mailbox.port, "MAIL_USE_TLS": False}


@pytest.fixture
def runner(app):
    """The app's in-process runner, stopped (its jobs finished) after the test."""
    jobs = outbox.runner(app)
    yield jobs
    jobs.stop()


def _admin_in(client, language: str):
    """Create the business's admin (ADMIN, who gets the notices) reading the admin in `language`; log in."""
    create_admin(ADMIN, PASSWORD, language=language)
    token = csrf_from(client.get("/admin/login").get_data(as_text=True))
    assert client.post("/admin/login", data={"csrf_token": token, "email": ADMIN,
                                             "password": PASSWORD}).status_code == 303
    return client


def _post(client, url: str, page: str, **data):
    """Submit an admin form as the admin does from `page` (its CSRF token), following the redirect."""
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, follow_redirects=True)


def _mail(mailbox, to: str, prefix: str):
    """Wait for the email to `to` whose subject starts with `prefix`; return it.

    A long subject is folded before its first word (CPython's folding), which leaves a space in
    front once read back; mail programs drop it, and so does this check.
    """
    def arrived():
        return next((m for m in mailbox.messages()
                     if m["To"] == to and m["Subject"].strip().startswith(prefix)), None)
    return wait_until(arrived, 30, f"{prefix!r} to {to}")


def _html(message) -> str:
    """Return the HTML part of a message."""
    return message.get_body(preferencelist=("html",)).get_content()


def _make_due(kind: str, booking_id: int) -> None:
    """Bring the booking's next waiting `kind` row forward to now (the in-process sweep then sends it)."""
    row = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.booking_id == booking_id,
                                                           OutboxMessage.kind == kind,
                                                           OutboxMessage.status == "pending")
                            .order_by(OutboxMessage.due_at))
    row.due_at = datetime.now(timezone.utc)
    db.session.commit()


def test_an_english_booking_gets_english_emails_while_the_admin_works_in_italian(
        app, runner, mailbox, server_like_client):
    admin = _admin_in(server_like_client, "it")
    now = datetime.now(timezone.utc)
    booking = factories.book(weekday_at(10, 3, now), now, client_name="Ada Lovelace",
                             client_email=ENGLISH_CLIENT, locale="en").booking
    booking_id, duration = booking.id, booking.duration_minutes

    confirmed = _mail(mailbox, ENGLISH_CLIENT, "Confirmed:")
    notice = _mail(mailbox, ADMIN, "Nuova prenotazione:")
    page = _post(admin, f"/admin/bookings/{booking_id}/reschedule", f"/admin/bookings/{booking_id}",
                 start=weekday_at(15, 4, now).isoformat(), duration=str(duration)).get_data(as_text=True)
    moved = _mail(mailbox, ENGLISH_CLIENT, "Rescheduled:")
    _make_due("reminder", booking_id)
    reminder = _mail(mailbox, ENGLISH_CLIENT, "Reminder:")

    assert "Prenotazione spostata; il cliente sarà avvisato." in page  # the admin reads Italian
    assert "Lingua del cliente: English" in text_part(notice) and "Gentile" not in text_part(confirmed)
    for message, words in ((confirmed, "is confirmed"), (moved, "has moved to a new time"),
                           (reminder, "a reminder of your upcoming booking")):
        text, html = text_part(message), _html(message)
        assert "Hello Ada Lovelace," in text and words in text and words in html
        assert "Gentile" not in text + html and "prenotazione" not in text + html
        assert '<html lang="en">' in html
    assert "It was:" in text_part(moved)
    outbox_page = admin.get("/admin/outbox?status=sent").get_data(as_text=True)
    assert "Inviati" in outbox_page and "promemoria" in outbox_page and "avviso: nuova prenotazione" in outbox_page


def test_an_italian_booking_gets_italian_emails_from_an_admin_working_in_english(
        app, runner, mailbox, server_like_client):
    db.session.get(ServiceType, db.session.scalar(db.select(ServiceType.id).where(
        ServiceType.key == "consultation"))).requires_approval = True
    db.session.commit()
    admin = _admin_in(server_like_client, "en")
    now = datetime.now(timezone.utc)
    booking = factories.book(weekday_at(10, 3, now), now, client_email=ITALIAN_CLIENT, locale="it").booking
    url = f"/admin/bookings/{booking.id}"

    received = _mail(mailbox, ITALIAN_CLIENT, "Ricevuta, in attesa di approvazione:")
    confirmed_page = _post(admin, f"{url}/confirm", url).get_data(as_text=True)
    confirmed = _mail(mailbox, ITALIAN_CLIENT, "Confermata:")
    _post(admin, f"{url}/follow-up", url, subject="Come è andata?", message="Grazie della visita.")
    follow_up = _mail(mailbox, ITALIAN_CLIENT, "Come è andata?")
    cancelled_page = _post(admin, f"{url}/cancel", url, cancellation_reason="Studio chiuso").get_data(as_text=True)
    cancelled = _mail(mailbox, ITALIAN_CLIENT, "Annullata:")
    notice = _mail(mailbox, ADMIN, "Booking cancelled:")

    assert "Booking confirmed." in confirmed_page and "Booking cancelled; the client will be told." in cancelled_page
    for message, words in ((received, "abbiamo ricevuto la tua richiesta"), (confirmed, "è confermata"),
                           (follow_up, "Grazie della visita."), (cancelled, "è stata annullata")):
        text, html = text_part(message), _html(message)
        assert "Gentile Mario Rossi," in text and words in text and words in html
        assert "Hello" not in text + html and "your booking" not in text + html
        assert '<html lang="it">' in html
    assert "Motivo: Studio chiuso" in text_part(cancelled)
    assert "Reason: Studio chiuso" in text_part(notice) and "Client's language: Italiano" in text_part(notice)


def test_the_lost_link_email_follows_the_language_of_the_page_it_was_asked_from(
        app, runner, mailbox, client):
    now = datetime.now(timezone.utc)
    factories.book(weekday_at(10, 3, now), now, client_email=ENGLISH_CLIENT, locale="en")
    factories.book(weekday_at(11, 3, now) + timedelta(days=1), now, client_email=ITALIAN_CLIENT, locale="it")

    for address, language in ((ENGLISH_CLIENT, "it"), (ITALIAN_CLIENT, "en")):
        token = csrf_from(client.get(f"/manage/lost?lang={language}").get_data(as_text=True))
        assert client.post(f"/manage/lost?lang={language}",
                           data={"csrf_token": token, "email": address}).status_code == 200

    asked_in_italian = _mail(mailbox, ENGLISH_CLIENT, "Le tue prenotazioni con")
    asked_in_english = _mail(mailbox, ITALIAN_CLIENT, "Your bookings with")
    assert "hai chiesto i link alle tue prenotazioni" in text_part(asked_in_italian)
    assert "you asked for the links to your bookings" in text_part(asked_in_english)
