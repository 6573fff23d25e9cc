"""A worker killed mid-send: its messages go out again within about a lease, never lost; a
repeat only where the kill fell between the SMTP server's accept and the record, then with
the same Message-ID and visible in the outbox."""
import time

import pytest

from tests.faults.stack import TIMINGS, slots, wait_for

pytestmark = pytest.mark.faults

LEASE = int(TIMINGS["OUTBOX_LEASE_SECONDS"])
SWEEP = int(TIMINGS["SWEEP_INTERVAL_SECONDS"])


def test_a_worker_killed_between_accept_and_record_repeats_one_email_with_its_message_id(
        stack, record):
    stack.mail.inbox.hold_replies, stack.mail.inbox.hold_seconds = 1, 8
    starts = slots(4)
    for number, start in enumerate(starts):
        assert stack.book_api(start, f"client{number}@example.com").status_code == 201
    wait_for(lambda: stack.mail.inbox.accepted_at, 20, "the first accepted message")
    time.sleep(0.3)  # the server stored it and holds its reply: the worker waits to record
    stack.workers[0].kill()
    killed_at = time.monotonic()
    # the killed worker's RQ job stays `started`; only the lease brings its row back
    stack.start_worker()
    recovery = wait_for(lambda: stack.all_sent(8), LEASE + SWEEP + 25, "every email after the kill")
    recovery = time.monotonic() - killed_at

    report = stack.delivery_report()
    assert report["lost"] == [] and report["unexpected"] == []
    assert len(report["repeated"]) == 1 and report["repeats_unexplained"] == []
    [(repeated_id, copies)] = report["repeated"].items()
    assert copies == 2
    [row] = [r for r in stack.emails_due() if r.lapsed_claims]
    assert (row.status, row.attempts, row.lapsed_claims) == ("sent", 2, 1)
    admin = stack.admin()
    assert "possible duplicate" in admin.get("/admin/outbox?status=sent").text
    assert recovery <= LEASE + SWEEP + 10
    record("Worker killed (SIGKILL) after the SMTP server accepted, before the record",
           "kill -9 worker.py while the server holds its reply to a stored message; 4 bookings queued",
           "8 emails, none lost; the one in flight repeated once with the same Message-ID, "
           "shown as possible duplicate", f"{report['received']} received, 1 repeated "
           f"(same Message-ID, attempts=2, lapsed_claims=1)",
           f"{recovery:.1f} s after the kill (lease {LEASE} s)")


def test_a_worker_killed_while_idle_between_jobs_loses_and_repeats_nothing(stack, record):
    starts = slots(3)
    stack.workers[0].kill()
    for number, start in enumerate(starts):
        assert stack.book_api(start, f"client{number}@example.com").status_code == 201
    killed_at = time.monotonic()
    stack.start_worker()
    wait_for(lambda: stack.all_sent(6), 30, "every email queued while no worker ran")
    recovery = time.monotonic() - killed_at

    report = stack.delivery_report()
    assert report["lost"] == [] and report["unexpected"] == [] and report["repeated"] == {}
    record("Worker killed, bookings made while none runs", "kill -9 worker.py; 3 bookings; new worker",
           "6 emails once", f"{report['received']} received, 0 repeated",
           f"{recovery:.1f} s after the bookings")
