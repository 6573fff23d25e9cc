"""PostgreSQL down: pages are the site's own 503 with Retry-After, the API answers JSON 503;
once it returns, the site serves again and every email goes out (a repeat only where the
outage fell between the SMTP server's accept and the record, then visible)."""
import time

import pytest

from tests.faults.stack import TIMINGS, slots, wait_for
from webapp.extensions import db

pytestmark = pytest.mark.faults

BOOKINGS = 10
SWEEP = int(TIMINGS["SWEEP_INTERVAL_SECONDS"])
LEASE = int(TIMINGS["OUTBOX_LEASE_SECONDS"])


def test_while_the_database_is_down_pages_are_503_and_the_emails_follow_its_return(
        stack, cluster, record):
    for number, start in enumerate(slots(BOOKINGS)):
        assert stack.book_api(start, f"client{number}@example.com").status_code == 201
    cluster.stop()  # while the worker is sending
    stopped_with = len(stack.mail.messages())

    page = stack.http.get("/book/consultation")
    assert page.status_code == 503 and page.headers["Retry-After"] == TIMINGS["UNAVAILABLE_RETRY_AFTER"]
    assert "Briefly unavailable" in page.text and 'class="brand"' in page.text  # the site's layout
    api = stack.http.post("/api/v1/booking/calendar/availability", json={})
    assert api.status_code == 503 and api.json()["error"]["code"] == "service_unavailable"
    assert api.headers["Retry-After"] == TIMINGS["UNAVAILABLE_RETRY_AFTER"]
    assert stack.http.get("/api/v1/booking/health").json()["database"] == "unreachable"
    time.sleep(5)

    cluster.start()
    back = time.monotonic()
    served = wait_for(lambda: stack.http.get("/book/consultation").status_code == 200, 10,
                      "the site to serve again")
    with stack.app.app_context():
        db.engine.dispose()  # this test process's own pool held connections to the old server
    wait_for(lambda: stack.all_sent(2 * BOOKINGS), LEASE + SWEEP + 30, "every email after the outage")
    drained = time.monotonic() - back

    report = stack.delivery_report()
    assert report["lost"] == [] and report["unexpected"] == []
    assert report["repeats_unexplained"] == []
    assert drained <= LEASE + SWEEP + 15
    record("PostgreSQL down", f"pg_ctl stop -m immediate right after {BOOKINGS} bookings "
           f"({stopped_with} emails out); started again after ~6 s",
           "503 page with Retry-After and JSON 503 meanwhile; every email after, repeats "
           "only between accept and record (visible)",
           f"503 + Retry-After; {report['received']} of {report['expected']} received, "
           f"{len(report['repeated'])} repeated", f"site {served:.1f} s, emails drained "
           f"{drained:.1f} s after the database returned")
