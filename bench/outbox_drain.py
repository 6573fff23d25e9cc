"""Time worker.py draining 1,000 queued confirmation emails (with .ics) into a local SMTP sink.

    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python -m bench.outbox_drain [--count 1000] [--workers 1]

Needs a Redis server; uses a queue of its own and a throw-away SQLite database. Prints the
wall time and the CPU time the workers used (on a shared machine the wall time follows the
load; the CPU time much less).
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from aiosmtpd.controller import Controller
from redis import Redis
from rq import Queue, Worker

from webapp import create_app, outbox
from webapp.extensions import db
from webapp.models import Booking, OutboxMessage
from webapp.outbox.dispatch import NEW_ROWS
from webapp.services.defaults import load_defaults
from webapp.services.tokens import manage_token, token_hash

ROOT = Path(__file__).resolve().parent.parent


class Sink:
    """An SMTP handler that only counts messages."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def fill(count: int, now: datetime) -> list[int]:
    """Store `count` confirmed bookings, each with a pending confirmation row; return row ids."""
    rows = []
    for i in range(count):
        start = now + timedelta(days=3, minutes=30 * i)
        uid = f"bench{i:06d}{uuid.uuid4().hex[:8]}"
        booking = Booking(uid=uid, manage_token_hash=token_hash(manage_token(uid)),
                          client_name=f"Client {i}", client_email=f"c{i}@example.com",
                          service_type="consultation", title="Consultation", scheduled_at=start,
                          ends_at=start + timedelta(minutes=30), duration_minutes=30,
                          timezone="Europe/Rome", status="confirmed", version=0,
                          meeting_url=f"https://meet.jit.si/bench-{uid}")
        db.session.add(booking)
        db.session.flush()
        rows.append(OutboxMessage(kind="confirmation", key=f"bench:{booking.id}", due_at=now,
                                  booking_id=booking.id, recipient=booking.client_email,
                                  status="pending", attempts=0, payload={"version": 0}))
    db.session.add_all(rows)
    db.session.info.pop(NEW_ROWS, None)  # enqueue below, once the worker is ready
    db.session.commit()
    return [row.id for row in rows]


def _sent() -> int:
    """Return how many rows the worker has marked sent."""
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count(OutboxMessage.id))
                             .where(OutboxMessage.status == "sent"))


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    queue_name = f"bench-{uuid.uuid4().hex[:8]}"
    sink = Sink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(sink, hostname="127.0.0.1", port=port)
    smtp.start()
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite:///{tmp}/bench.db"
        config = {"SQLALCHEMY_DATABASE_URI": database, "REDIS_URL": redis_url,
                  "RQ_QUEUE": queue_name, "SECRET_KEY": "bench-secret", "TESTING": True}
        app = create_app(config)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database,
               "REDIS_URL": redis_url, "RQ_QUEUE": queue_name, "SECRET_KEY": "bench-secret",
               "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "MAIL_USE_TLS": "0",
               "SENDGRID_API_KEY": "", "ADMIN_EMAIL": "", "RATELIMIT_STORAGE_URI": "memory://"}
        queue = Queue(queue_name, connection=Redis.from_url(redis_url))
        with app.app_context():
            db.create_all()
            load_defaults()
            ids = fill(args.count, datetime.now(timezone.utc))
            workers = [subprocess.Popen([sys.executable, str(ROOT / "worker.py")], cwd=ROOT, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                       for _ in range(args.workers)]
            try:
                while Worker.count(queue=queue) < args.workers:
                    time.sleep(0.1)
                time.sleep(1)  # the workers' start-up (imports, first sweep) is not the drain's
                cpu_before = sum(cpu_seconds(worker.pid) for worker in workers)
                started = time.perf_counter()
                outbox.enqueue(ids)
                enqueued = time.perf_counter()
                while (sent := _sent()) < args.count:
                    time.sleep(0.05)
                drained = time.perf_counter()
                cpu = sum(cpu_seconds(worker.pid) for worker in workers) - cpu_before
            finally:
                for worker in workers:
                    worker.terminate()
                for worker in workers:
                    worker.wait(30)
                queue.delete(delete_jobs=True)
                smtp.stop()
    total = drained - started
    print(f"{args.count} emails, {args.workers} worker(s): enqueue {enqueued - started:.2f} s, drain {total:.2f} s, "
          f"{args.count / total:.0f} emails/s, {1000 * total / args.count:.1f} ms each; workers' CPU {cpu:.2f} s "
          f"({1000 * cpu / args.count:.1f} ms an email); rows sent: {sent}, messages at the sink: {sink.count}")


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) process `pid` has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    main()
