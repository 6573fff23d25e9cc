"""Two web servers and two workers on one PostgreSQL and one Redis; one of each killed midway.

Hundreds of bookings (every slot asked for through both servers at once) and lookups; then:
no double booking, each booking's emails delivered once (a repeat only as docs/faults.md
allows: same Message-ID, visible in the outbox), the sweep run once per period, the
per-address booking limit counted across servers, sessions and manage links valid on both.
SCALE_REPORT=path writes the run's figures as a Markdown table.
"""
import os
import re
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import closing
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import text

from tests.faults.processes import RedisServer
from tests.faults.stack import ROME, TIMINGS, message_id, slots, wait_for
from tests.scale.site import TwoServerSite
from tests.services import fresh_postgres_database
from webapp.extensions import db
from webapp.models import PeriodicRun
from webapp.outbox.kinds import Kind
from webapp.outbox.sweep import SWEEP_JOB

pytestmark = pytest.mark.scale

#: slots each asked for twice at once (through a and b while both live)
SLOTS = 120
#: bookings one client email may get per hour (the limit the servers must share)
PER_ADDRESS = 4
#: concurrent clients
CLIENTS = 6
LEASE = int(TIMINGS["OUTBOX_LEASE_SECONDS"])
SWEEP = int(TIMINGS["SWEEP_INTERVAL_SECONDS"])
#: the emails every booking of the run gets (consultations confirm at once)
EXPECTED_KINDS = {Kind.CONFIRMATION, Kind.ADMIN_NEW_BOOKING}
OVERLAPS = text("SELECT count(*) FROM bookings x JOIN bookings y ON x.id < y.id"
                " AND x.status IN ('pending', 'confirmed') AND y.status IN ('pending', 'confirmed')"
                " AND x.scheduled_at < y.ends_at AND y.scheduled_at < x.ends_at")
SWEEP_LOG = re.compile(rf"{SWEEP_JOB} ran for period (\d+)")


@pytest.fixture
def site(tmp_path):
    """The two-server site on a fresh database of the machine's PostgreSQL and a redis-server of ours."""
    with fresh_postgres_database() as database_url:
        redis = RedisServer()
        try:
            site = TwoServerSite(
                tmp_path, database_url, redis,
                BOOKING_PER_RECIPIENT_LIMIT=f"{PER_ADDRESS}/hour", BOOKING_RATE_LIMIT="10000/minute",
                API_WRITE_RATE_LIMIT="10000/minute", API_READ_RATE_LIMIT="10000/minute")
            try:
                yield site
            finally:
                site.close()
        finally:
            redis.stop()


class Load:
    """Clients sending bookings and lookups; a server that refuses connections is skipped, as a
    load balancer does; a request cut mid-way is recorded without answer (the database tells)."""

    def __init__(self, site: TwoServerSite):
        self.site = site
        self.down: set[str] = set()
        self.lock = threading.Lock()
        self.answers: list[tuple[str, str, object, int | None]] = []  # (what, server, slot, status)

    def send(self, what: str, slot, preferred, request) -> None:
        """Send `request(view)` through the preferred server, else through a live one."""
        servers = [preferred] + [s for s in self.site.servers if s is not preferred]
        for server in servers:
            if server.name in self.down:
                continue
            try:
                status = request(self.site.on(server)).status_code
            except httpx.ConnectError:  # never reached it: safe to send elsewhere
                continue
            except httpx.TransportError:  # cut while the server worked on it
                status = None
            with self.lock:
                self.answers.append((what, server.name, slot, status))
            return
        raise AssertionError(f"no server answered {what} for {slot}")

    def book(self, slot, server, number: int) -> None:
        """Book `slot` for a client of its own through `server`."""
        self.send("book", slot, server,
                  lambda view: view.book_api(slot, f"client{number}@example.com"))

    def look(self, slot, server) -> None:
        """Ask for the free times of the slot's day through `server`."""
        day = slot.astimezone(ROME).date().isoformat()
        self.send("look", slot, server, lambda view: view.http.post(
            "/api/v1/booking/calendar/availability",
            json={"service_type": "consultation", "start_date": day, "end_date": day}))


def test_two_servers_and_two_workers_book_once_mail_once_and_sweep_once(site):
    a, b = site.servers
    starts = slots(SLOTS + PER_ADDRESS + 2)
    main, limited, spare = starts[:SLOTS], starts[SLOTS:-1], starts[-1]
    started = time.monotonic()

    # the per-address limit is one counter in Redis, whichever server counts
    shared = [site.on(server).book_api(start, "shared@example.com").status_code
              for server, start in zip([a, b, a, b, a], limited, strict=True)]
    assert shared == [201] * PER_ADDRESS + [429]

    # a session made on one server is valid on the other, both ways; so is a manage link
    for login_on, use_on in ((a, b), (b, a)):
        with closing(site.on(login_on).admin()) as admin, httpx.Client(
                base_url=use_on.http.base_url, cookies=admin.cookies) as elsewhere:
            page = elsewhere.get("/admin/")
        assert page.status_code == 200 and "Log out" in page.text, page.status_code
    made = site.on(a).book_api(spare, "links@example.com")
    assert made.status_code == 201, made.text
    assert b.http.get(urlsplit(made.json()["manage_url"]).path).status_code == 200

    # the load: each slot through a and b at once, plus a lookup; b and a worker die midway
    load, killed_at = Load(site), None
    with ThreadPoolExecutor(CLIENTS) as clients:
        futures = []
        for number, slot in enumerate(main):
            futures.append(clients.submit(load.book, slot, a, 2 * number))
            futures.append(clients.submit(load.book, slot, b, 2 * number + 1))
            futures.append(clients.submit(load.look, slot, (a, b)[number % 2]))
        for done, future in enumerate(as_completed(futures), 1):
            future.result()
            if killed_at is None and done == len(futures) // 2:
                b.process.kill()  # SIGKILL the master and its workers: requests in flight are cut
                load.down.add(b.name)
                site.workers[0].kill()
                killed_at = time.time()
    load_seconds = time.monotonic() - started

    books = [x for x in load.answers if x[0] == "book"]
    looks = [x for x in load.answers if x[0] == "look"]
    assert {status for *_, status in books} <= {201, 409, None}
    assert {status for *_, status in looks} <= {200, None}
    created = Counter(slot for _, _, slot, status in books if status == 201)
    assert max(created.values()) == 1  # no slot answered "booked" twice
    collisions = sum(1 for *_, status in books if status == 409)
    assert collisions >= SLOTS // 2  # the two requests of a slot really met
    assert {server for _, server, *_ in books} == {"a", "b"}

    # no double booking, at the database: every slot held by exactly one active booking
    with site.app.app_context():
        assert db.session.execute(OVERLAPS).scalar() == 0
        held = Counter(db.session.scalars(text(
            "SELECT scheduled_at FROM bookings WHERE status IN ('pending', 'confirmed')")))
        db.session.remove()
    assert all(held[slot] == 1 for slot in main)
    bookings = sum(held.values())
    assert bookings == SLOTS + PER_ADDRESS + 1

    # every booking's emails delivered, each Message-ID once (repeats only the visible kind)
    drained = wait_for(lambda: site.all_sent(2 * bookings), LEASE + SWEEP + 60, "every email")
    report = site.delivery_report()
    assert report["lost"] == [] and report["unexpected"] == []
    assert report["repeats_unexplained"] == []
    kinds = defaultdict(list)
    for row in site.emails_due():
        kinds[row.booking_id].append(row.kind)
    assert len(kinds) == bookings
    assert all(sorted(found) == sorted(EXPECTED_KINDS) for found in kinds.values())
    received = site.mail.message_ids()
    assert all(received[message_id(row)] >= 1 for row in site.emails_due())

    # the sweep ran once per period: one record and one log line per period, no period missed
    with site.app.app_context():
        runs = list(db.session.scalars(db.select(PeriodicRun).where(PeriodicRun.job == SWEEP_JOB)
                                       .order_by(PeriodicRun.period)))
        db.session.remove()
    periods = [run.period for run in runs]
    assert periods == list(range(periods[0], periods[-1] + 1))
    logged = Counter(int(p) for process in site.workers for p in SWEEP_LOG.findall(process.log()))
    assert logged and max(logged.values()) == 1
    assert set(logged) <= set(periods)
    killed = f":{site.workers[0].process.pid}"
    unfinished = [run for run in runs if run.outcome != "done"]
    assert len(unfinished) <= 1 and all(run.runner.endswith(killed) for run in unfinished)
    survivor = f":{site.workers[1].process.pid}"
    after_kill = [run for run in runs if run.period * SWEEP > killed_at + SWEEP]
    assert after_kill and all(run.runner.endswith(survivor) for run in after_kill)
    runners = Counter(run.runner.rsplit(":", 1)[1] for run in runs)

    write_report({
        "web servers": "2 gunicorn masters × 2 workers (deploy/gunicorn.conf.py), ports a and b",
        "workers": "2 worker.py; one PostgreSQL database, one Redis",
        "booking requests": f"{len(books) + PER_ADDRESS + 2} ({SLOTS} slots asked for twice at once)",
        "lookups": str(len(looks)),
        "killed midway": "server b (SIGKILL, master and workers) and worker 1 (SIGKILL)",
        "requests cut by the kill": str(sum(1 for *_, status in load.answers if status is None)),
        "answers 201 / 409": f"{len(created)} / {collisions}",
        "active bookings, overlapping pairs": f"{bookings}, 0",
        "emails": f"{report['expected']} expected, {report['received']} received, "
                  f"{len(report['lost'])} lost, {len(report['repeated'])} repeated",
        "sweep periods": f"{len(periods)} of {SWEEP} s, each run once "
                         f"(by worker pids {dict(runners)})",
        "per-address limit": f"{PER_ADDRESS}/hour: 4 bookings over a and b, the 5th refused (429)",
        "sessions and links": "admin login on a valid on b and back; manage link from a opens on b",
        "load, drain": f"{load_seconds:.0f} s, {drained:.0f} s",
    })


def write_report(rows: dict) -> None:
    """Write the run's figures as a Markdown table when SCALE_REPORT names a file."""
    path = os.environ.get("SCALE_REPORT")
    if path:
        lines = ["| what | this run |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows.items()]
        with open(path, "w") as out:
            out.write("\n".join(lines) + "\n")
