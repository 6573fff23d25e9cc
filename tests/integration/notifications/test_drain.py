"""One job sends the due emails one after another: one row in flight at a time, the others' jobs dropped."""
import sqlite3
from datetime import datetime, timedelta, timezone

from rq import Queue

from tests.integration.notifications.support import ADMIN, book, rows, weekday_at
from webapp.extensions import db
from webapp.outbox.perform import perform
from webapp.outbox.runners import job_id


class CountingInbox:
    """An SMTP handler that notes, as each message arrives, how many rows are claimed but not recorded."""

    def __init__(self, database: str):
        self.database, self.in_flight = database, []

    async def handle_DATA(self, server, session, envelope):
        with sqlite3.connect(self.database) as conn:
            self.in_flight.append(conn.execute(
                "SELECT count(*) FROM outbox_messages WHERE status = 'sending'").fetchone()[0])
        return "250 Message accepted for delivery"


def test_one_job_sends_every_due_email_with_one_row_in_flight_at_a_time(app, mailbox, queue_name, redis_url):
    now = datetime.now(timezone.utc)
    for day in range(3):
        book(weekday_at(10, 3 + day, now), now)
    notices = sorted(rows("admin_new_booking"), key=lambda row: row.id)
    assert len(notices) == 3 and all(row.status == "pending" for row in notices)
    queue = Queue(queue_name, connection=app.extensions["outbox_runner"].queue.connection)
    assert {job_id(row.id) for row in notices} <= set(queue.job_ids)
    counting = CountingInbox(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    mailbox.inbox.handle_DATA = counting.handle_DATA

    assert perform(notices[0].id, datetime.now(timezone.utc) + timedelta(seconds=1)) == "sent"

    db.session.rollback()
    assert {row.status for row in rows("admin_new_booking")} == {"sent"}
    assert counting.in_flight == [1, 1, 1]  # each claimed in the transaction recording the one before
    assert [row.attempts for row in rows("admin_new_booking")] == [1, 1, 1]
    # the rows it went on with no longer wait on the queue; their own jobs would find them sent
    assert not {job_id(row.id) for row in notices[1:]} & set(queue.job_ids)
    assert perform(notices[1].id, datetime.now(timezone.utc)) == "not claimed"
    assert all(row.recipient == ADMIN for row in notices)
