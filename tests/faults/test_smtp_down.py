"""SMTP down: the owner is told at once (dashboard backlog, outbox filter); when the server
returns, the backlog drains at full speed, every email once."""
import time

import pytest

from tests.faults.stack import slots, wait_for

pytestmark = pytest.mark.faults

BOOKINGS = 15


def test_the_owner_sees_the_backlog_and_it_drains_fast_once_smtp_returns(stack, record):
    stack.mail.stop()
    for number, start in enumerate(slots(BOOKINGS)):
        assert stack.book_api(start, f"client{number}@example.com").status_code == 201
    admin = stack.admin()

    # told within seconds, with the reason: the outage recorded on the waiting rows
    told = wait_for(lambda: "Waiting for the mail server" in admin.get("/admin/").text, 30,
                    "the dashboard's backlog with the mail server's error")
    board = admin.get("/admin/").text
    assert "waiting to go out" in board and "the oldest has waited" in board
    waiting = admin.get("/admin/outbox?status=waiting").text
    assert "Waiting for the mail server" in waiting and "client0@example.com" in waiting
    time.sleep(8)  # an outage of some seconds: no row may turn failed or fall behind
    assert {r.status for r in stack.emails_due()} <= {"pending", "sending"}

    stack.mail.start()
    back = time.monotonic()
    wait_for(lambda: stack.all_sent(2 * BOOKINGS), 60, "the backlog to drain")
    drained = time.monotonic() - back

    report = stack.delivery_report()
    assert report["lost"] == [] and report["unexpected"] == [] and report["repeated"] == {}
    assert drained <= 60  # the bound: drained at full speed within a minute of its return
    assert "waiting to go out" not in admin.get("/admin/").text
    record("SMTP server down", f"SMTP stopped; {BOOKINGS} bookings; restarted after ~10 s",
           "dashboard backlog within seconds; no row failed; every email once after",
           f"backlog shown after {told:.1f} s; {report['received']} of {report['expected']} "
           "received, 0 repeated", f"drained {drained:.1f} s after SMTP returned")
