"""One booking site as an operator runs it: gunicorn + worker.py on our PostgreSQL and Redis, a
real SMTP server, and the helpers a fault test needs (book, log in, read the inbox and outbox)."""
import asyncio
import email
import email.policy
import os
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from aiosmtpd.controller import Controller

from tests.conftest import base_config, csrf_from
from tests.faults.processes import AppProcess, gunicorn, wait_for_port, worker
from tests.integration.mail.support import Inbox, free_port
from webapp import create_app
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.outbox.kinds import EMAIL_KINDS
from webapp.services.admin_accounts import create_admin
from webapp.services.defaults import load_defaults

ROME = ZoneInfo("Europe/Rome")
ADMIN_EMAIL, ADMIN_PASSWORD = "owner@studio.example", "a long admin password 42"
SENDER_DOMAIN = "faults.example"
#: short intervals so each fault recovers in seconds (production defaults are in config.py)
TIMINGS = {"SWEEP_INTERVAL_SECONDS": "2", "OUTBOX_LEASE_SECONDS": "6",
           "OUTBOX_RETRY_BASE_SECONDS": "1", "OUTBOX_OUTAGE_RETRY_SECONDS": "1",
           "OUTBOX_OUTAGE_MAX_SECONDS": "3", "MEETING_CONNECT_TIMEOUT": "1",
           "MEETING_READ_TIMEOUT": "2", "MEETING_ATTEMPTS": "2", "MAIL_TIMEOUT": "10",
           "UNAVAILABLE_RETRY_AFTER": "5"}


class FaultInbox(Inbox):
    """An SMTP handler that can hold its reply to a message it has already stored.

    The sender (which keeps one session for many messages) then waits for the "250" of a
    message the server has accepted: a kill in that window falls between accept and record.
    """

    def __init__(self):
        super().__init__()
        self.hold_replies = 0
        self.hold_seconds = 0.0
        self.accepted_at: list[float] = []

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        self.accepted_at.append(time.monotonic())
        if self.hold_replies > 0:  # stored: the sender waits for our answer
            self.hold_replies -= 1
            await asyncio.sleep(self.hold_seconds)
        return reply


class FaultMailbox:
    """A real SMTP server on a fixed loopback port that can be stopped and started again."""

    def __init__(self):
        self.inbox = FaultInbox()
        self.port = free_port()
        self._controller: Controller | None = None

    def start(self) -> "FaultMailbox":
        """Listen on the port."""
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop listening (connections are refused)."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def messages(self) -> list[email.message.EmailMessage]:
        """Every message received so far, parsed."""
        return [email.message_from_bytes(envelope.content, policy=email.policy.default)
                for envelope in list(self.inbox.envelopes)]

    def message_ids(self) -> Counter:
        """How many times each Message-ID arrived."""
        return Counter(m["Message-ID"] for m in self.messages())


def slots(count: int, days_ahead: int = 3) -> list[datetime]:
    """Return `count` distinct bookable 30-minute starts (weekdays 9-17 Rome), as UTC instants."""
    found, day = [], (datetime.now(timezone.utc) + timedelta(days=days_ahead)).astimezone(ROME).date()
    while len(found) < count:
        if day.weekday() < 5:
            for minutes in range(9 * 60, 17 * 60, 60):  # an hour apart: no buffer can clash
                local = datetime(day.year, day.month, day.day, minutes // 60, tzinfo=ROME)
                found.append(local.astimezone(timezone.utc))
        day += timedelta(days=1)
    return found[:count]


def wait_for(predicate, timeout: float, what: str, pause: float = 0.2) -> float:
    """Poll until `predicate()` is truthy; return the seconds it took, fail after `timeout`."""
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            seen = getattr(getattr(predicate, "__self__", None), "last_seen", "")
            raise AssertionError(f"timed out after {timeout}s waiting for {what} {seen}")
        time.sleep(pause)
    return time.monotonic() - started


class Stack:
    """gunicorn (2 workers) + worker.py on a fresh database of our cluster, our Redis, an SMTP server."""

    def __init__(self, tmp_path: Path, cluster, redis, provider_url: str, **env):
        self.tmp_path, self.cluster, self.redis = tmp_path, cluster, redis
        self.mail = FaultMailbox().start()
        database_url = cluster.create_database(f"faults_{uuid.uuid4().hex[:10]}")
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("FLASK_")},
            "APP_ENV": "test", "SECRET_KEY": "faults-secret-key-" + uuid.uuid4().hex,
            "DATABASE_URL": database_url, "REDIS_URL": redis.url,
            "RATELIMIT_STORAGE_URI": redis.url, "RQ_QUEUE": f"faults-{uuid.uuid4().hex[:8]}",
            "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.mail.port), "MAIL_USE_TLS": "0",
            "SENDGRID_API_KEY": "", "FROM_EMAIL": f"noreply@{SENDER_DOMAIN}",
            "ADMIN_EMAIL": ADMIN_EMAIL, "BOOKING_TIMEZONE": "Europe/Rome",
            "WHEREBY_API_KEY": "whereby-key", "WHEREBY_API_BASE_URL": provider_url,
            "REMINDER_OFFSETS_HOURS": "1",  # reminders fall due days later: none in these runs
            "API_WRITE_RATE_LIMIT": "1000/minute", "BOOKING_RATE_LIMIT": "1000/minute",
            "MAIL_DIR": str(tmp_path / "mail"), **TIMINGS, **env}
        self.port = free_port()
        self.env["BASE_URL"] = self.base_url
        self.app = create_app({**base_config(tmp_path, database_url), "TESTING": False,
                               "REDIS_URL": None, "ADMIN_EMAIL": ADMIN_EMAIL})
        with self.app.app_context():
            db.create_all()
            load_defaults()
            create_admin(ADMIN_EMAIL, ADMIN_PASSWORD)
            db.session.remove()
        self.web = self.start_web()
        self.workers: list[AppProcess] = []
        self.start_worker()
        self.http = httpx.Client(base_url=self.base_url, timeout=30, follow_redirects=False)
        for _ in range(4):  # warm both gunicorn workers: timings measure faults, not imports
            self.http.get("/api/v1/booking/health")

    @property
    def base_url(self) -> str:
        """Where gunicorn listens."""
        return f"http://127.0.0.1:{self.port}"

    def start_web(self) -> AppProcess:
        """Start gunicorn on `self.port` and wait until it listens."""
        web = gunicorn(self.env, self.port, self.tmp_path / "gunicorn.log").start()
        wait_for_port(self.port, process=web.process)
        return web

    def start_worker(self) -> AppProcess:
        """Start one more worker.py."""
        process = worker(self.env, self.tmp_path / f"worker-{len(self.workers)}.log").start()
        self.workers.append(process)
        return process

    def close(self) -> None:
        """Stop every process we started and the SMTP server."""
        self.http.close()
        for process in [self.web, *self.workers]:
            process.stop()
        self.mail.stop()
        with self.app.app_context():
            db.engine.dispose()

    # -- what clients do --------------------------------------------------------------------

    def book_api(self, start: datetime, email_address: str, provider: str = "jitsi") -> httpx.Response:
        """Book through the JSON API."""
        local = start.astimezone(ROME).replace(tzinfo=None).isoformat(timespec="minutes")
        return self.http.post("/api/v1/booking/bookings", json={
            "client_name": "Fault Tester", "client_email": email_address,
            "service_type": "consultation", "title": "Fault run", "scheduled_at": local,
            "duration_minutes": 30, "timezone": "Europe/Rome", "meeting_provider": provider})

    def book_site(self, start: datetime, email_address: str) -> httpx.Response:
        """Book through the site's form (with its CSRF token), as a browser without JavaScript."""
        with httpx.Client(base_url=self.base_url, timeout=30) as browser:
            form = f"/book/consultation/details?start={start.isoformat().replace('+', '%2B')}" \
                   "&tz=Europe/Rome&duration=30"
            page = browser.get(form)
            assert page.status_code == 200, page.text[:500]
            return browser.post("/book/consultation/details", data={
                "csrf_token": csrf_from(page.text), "start": start.isoformat(),
                "tz": "Europe/Rome", "duration": "30", "client_name": "Fault Tester",
                "client_email": email_address, "meeting_provider": "jitsi"})

    def admin(self) -> httpx.Client:
        """Return a client logged in as the admin (fails the test if the login does not work)."""
        browser = httpx.Client(base_url=self.base_url, timeout=30)
        page = browser.get("/admin/login")
        answer = browser.post("/admin/login", data={"csrf_token": csrf_from(page.text),
                                                    "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        assert answer.status_code == 303, (answer.status_code, answer.text[:300])
        return browser

    # -- what the database says ---------------------------------------------------------------

    def rows(self) -> list[OutboxMessage]:
        """Every outbox row, read fresh (the database must be up)."""
        with self.app.app_context():
            found = list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))
            db.session.expunge_all()
            db.session.remove()
            return found

    def emails_due(self) -> list[OutboxMessage]:
        """The email rows that must go out now (not reminders days ahead, not skipped)."""
        now = datetime.now(timezone.utc)
        return [r for r in self.rows() if r.kind in EMAIL_KINDS and r.status != "skipped"
                and r.due_at <= now + timedelta(minutes=1)]

    def all_sent(self, expected: int | None = None) -> bool:
        """Whether every due email row is sent (and there are `expected` of them)."""
        rows = self.emails_due()
        self.last_seen = [(r.id, r.kind, r.status, r.attempts, r.last_error) for r in rows
                          if r.status != "sent"] + [("due email rows", len(rows))]
        return (expected is None or len(rows) == expected) and all(r.status == "sent" for r in rows)

    def delivery_report(self) -> dict:
        """Match the inbox to the outbox by Message-ID: lost, unexpected and repeated messages."""
        rows = {message_id(r): r for r in self.emails_due()}
        received = self.mail.message_ids()
        repeated = {mid: n for mid, n in received.items() if n > 1}
        return {"expected": len(rows), "received": sum(received.values()),
                "lost": sorted(set(rows) - set(received)),
                "unexpected": sorted(set(received) - set(rows)),
                "repeated": repeated,
                "repeats_unexplained": [mid for mid in repeated
                                        if mid in rows and not rows[mid].lapsed_claims]}


def message_id(row: OutboxMessage) -> str:
    """The Message-ID the outbox gives the row's email on every attempt."""
    from webapp.outbox.perform import message_id_for

    return message_id_for(row, f"noreply@{SENDER_DOMAIN}")
