"""Redis down: booking (site, API) and admin login keep working; the emails go out once it returns."""
import pytest

from tests.faults.stack import slots, wait_for

pytestmark = pytest.mark.faults


def test_with_redis_down_booking_and_login_work_and_the_emails_follow_its_return(
        stack, redis_server, record):
    before = slots(1)[0]
    assert stack.book_api(before, "before@example.com").status_code == 201
    wait_for(lambda: stack.all_sent(2), 20, "the first booking's two emails")

    redis_server.stop()
    site, api = slots(3)[1:]
    assert stack.book_site(site, "site@example.com").status_code == 303
    assert stack.book_api(api, "api@example.com").status_code == 201
    admin = stack.admin()
    assert admin.get("/admin/").status_code == 200
    health = stack.http.get("/api/v1/booking/health").json()
    assert health["status"] == "degraded" and health["rate_limits"] == "fallback"
    assert "falling back to in-memory storage" in stack.web.log()
    assert len(stack.mail.messages()) == 2  # nothing can be queued: the rows wait in the database

    redis_server.start()
    recovery = wait_for(lambda: stack.all_sent(6), 30, "the emails of the bookings made without Redis")

    report = stack.delivery_report()
    assert report["lost"] == [] and report["unexpected"] == [] and report["repeated"] == {}
    assert stack.http.get("/api/v1/booking/health").json()["rate_limits"] == "ok"
    record("Redis down", "redis-server stopped; 1 site + 1 API booking, admin login",
           "201/303 answers, login works, /health degraded; 4 emails once after Redis returns",
           f"{report['received'] - 2} emails, 0 lost, 0 repeated", f"{recovery:.1f} s after restart")
