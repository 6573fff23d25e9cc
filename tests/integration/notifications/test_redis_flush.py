"""A Redis FLUSHALL between booking and reminder still yields the reminder (the sweep re-queues)."""
from datetime import datetime, timezone

import pytest

from tests.integration.notifications.support import book, make_due, rows, wait_settled, wait_until, weekday_at


@pytest.fixture
def redis_url(flushable_redis):
    """This module flushes Redis, so it uses a Redis of its own."""
    return flushable_redis[0]


def test_a_redis_flushall_between_booking_and_reminder_still_yields_the_reminder(
        app, mailbox, start_worker, flushable_redis):
    start_worker()
    now = datetime.now(timezone.utc)
    book(weekday_at(10, 3, now), now)
    wait_until(lambda: mailbox.subjects("Confirmed:"), what="the confirmation")
    wait_settled()

    flush = flushable_redis[1]
    flush()
    make_due("reminder")  # the worker's own sweep (every second in tests) must find it

    wait_until(lambda: mailbox.subjects("Reminder:"), what="the reminder after the flush")
    wait_settled()
    assert len(mailbox.subjects("Reminder:")) == 1
    assert [r.status for r in rows("reminder")] == ["sent"]
