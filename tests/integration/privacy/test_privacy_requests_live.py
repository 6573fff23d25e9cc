"""Access and erasure on request, through the admin on a real server: the JSON export holds all
an address's data (any spelling), erasure asks for confirmation, cancels bookings still ahead with
the usual email first, erases the rest, and leaves other clients alone."""
import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import csrf_from
from tests.factories import book, store_booking
from tests.integration.admin.test_admin_sessions import logged_in
from tests.integration.privacy.conftest import MONDAY, NOW, is_erased, rome, stored
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.outbox.perform import perform
from webapp.services.privacy import erase_expired


@pytest.fixture
def mario(app):
    """Mario's booking next Monday (booked as Mario@Example.com) and a past one (other spelling)."""
    ahead = book(rome(MONDAY, 10), NOW, client_email="Mario@Example.com", marketing_consent=True).booking
    past = store_booking(scheduled_at=NOW - timedelta(days=20), status="completed",
                         client_email="mario@EXAMPLE.com", client_phone="+39 06 7654321")
    return ahead, past


def deliver_everything_due() -> None:
    """Do what the worker would: perform every due row."""
    db.session.rollback()
    for row_id in db.session.scalars(db.select(OutboxMessage.id).where(
            OutboxMessage.status == "pending", OutboxMessage.due_at <= NOW)).all():
        perform(row_id, NOW)


def mails_to(app, address: str) -> list[str]:
    """Return the emails written to the mail folder for `address`."""
    return [text for path in sorted(Path(app.config["MAIL_DIR"]).glob("*.eml"))
            if f"To: {address}" in (text := path.read_text())]


def test_export_holds_everything_about_the_address(live_server, admin_user, mario):
    ahead, past = mario
    luigi = book(rome(MONDAY, 11), NOW, client_email="luigi@example.com").booking
    browser = logged_in(live_server)
    token = csrf_from(browser.get("/admin/privacy").text)
    answer = browser.post("/admin/privacy/export", data={"csrf_token": token, "email": "MARIO@example.com"})
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(answer.text)
    assert {b["uid"] for b in data["bookings"]} == {ahead.uid, past.uid}
    assert luigi.uid not in answer.text and "manage_token_hash" not in answer.text
    assert {r["recipient"] for r in data["outbox_messages"] if r["kind"] == "reminder"} == {"Mario@example.com"}
    [consent] = [c for c in data["consent_records"] if c["marketing_consent"]]
    assert consent["booking_uid"] == ahead.uid and consent["text"]


def test_erasure_confirms_then_cancels_with_notice_and_erases(app, live_server, admin_user, mario):
    ahead, past = mario
    luigi = book(rome(MONDAY, 11), NOW, client_email="luigi@example.com").booking
    browser = logged_in(live_server)
    token = csrf_from(browser.get("/admin/privacy").text)
    step = browser.post("/admin/privacy/erase", data={"csrf_token": token, "email": "mario@example.com"})
    assert step.status_code == 200 and "1 booking still ahead" in step.text
    assert not is_erased(stored(past.id)), "the first step only asks"

    done = browser.post("/admin/privacy/erase", data={"csrf_token": csrf_from(step.text),
                                                      "email": "mario@example.com", "confirmed": "yes"})
    assert done.status_code == 303
    assert is_erased(stored(past.id))
    cancelled = stored(ahead.id)
    assert cancelled.status == "cancelled" and cancelled.erasure_requested_at == NOW
    assert not is_erased(cancelled), "kept until the cancellation email has gone"

    deliver_everything_due()
    assert any("cancelled" in text.lower() for text in mails_to(app, "Mario@example.com"))
    erase_expired(NOW)
    assert is_erased(stored(ahead.id)) and stored(ahead.id).status == "cancelled"
    rows = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.booking_id == ahead.id)).all()
    assert all(row.payload == {} and row.recipient is None for row in rows)
    assert stored(luigi.id).client_email == "luigi@example.com" and stored(luigi.id).is_active


def test_a_bad_address_re_renders_the_form(live_server, admin_user):
    browser = logged_in(live_server)
    token = csrf_from(browser.get("/admin/privacy").text)
    for url in ("/admin/privacy/export", "/admin/privacy/erase"):
        answer = browser.post(url, data={"csrf_token": token, "email": "not an address"})
        assert answer.status_code == 422 and "Please correct the highlighted fields." in answer.text
    assert browser.post("/admin/privacy/export", data={"email": "a@b.example"}).status_code == 400
