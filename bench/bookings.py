"""Booking creation on PostgreSQL under gunicorn (4 sync workers): sustained rate and collisions.

    .venv/bin/python -m bench.bookings [--seconds 10] [--connections 16] [--hosts 1]
                                       [--collisions 20] [--no-limits] [--synchronous-commit off]
    .venv/bin/python -m bench.bookings --in-process 300 [--cprofile]

A fresh database (127.0.0.1:5432) with the defaults and a "bench" type open every day, all
day, in 5-minute slots; Redis at 127.0.0.1:6379 for the outbox queue and the rate limits.
Each request is a different client: its own address (X-Forwarded-For, with TRUSTED_PROXIES=1)
and email, so the booking rate limits stay on and count in Redis without refusing the load
(`--no-limits` turns them off). `--hosts N` spreads the type over N hosts, each request
naming one in turn (N host locks instead of one).

1. Sustained: `--connections` closed-loop clients for `--seconds` (after a 2 s warm-up), each
   request a different free start: bookings/s, p50, p99, and the CPU time per booking of the
   gunicorn workers and of the database's PostgreSQL backends (from /proc: far less noisy than
   the rate on a shared machine).
2. Collisions: `--collisions` rounds of `--connections` requests released at once for one
   start: each round must give exactly one 201 and 409s for the rest.
3. The database afterwards: as many bookings as 201s, no two active bookings of one host
   overlapping, every booking with its outbox rows.
`--in-process N` instead makes N bookings in this process through `app.wsgi_app` (same database
set-up and environment, one at a time): wall and CPU time per booking, SQL statements per
booking, or with `--cprofile` where the CPU goes. Loopback only; no test asserts these timings.
"""
import argparse
import json
import os
import statistics
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import event

from bench.http import API, gunicorn, prepare, server_env
from bench.load import load_parser, request_bytes, run, status
from bench.request_profile import call, environ, print_profile
from webapp import create_app
from webapp.extensions import db
from webapp.models import AvailabilitySlot, Host, ServiceType, ServiceTypeHost

ROME = ZoneInfo("Europe/Rome")
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SLOT = timedelta(minutes=5)


def add_bench_type(url: str, hosts: int) -> list[str]:
    """Add the "bench" type (every day 00:00-23:55 Rome, 5-minute slots, no notice); return host slugs.

    With `hosts` > 1 the type is given by that many hosts, each with the same weekly rules.
    """
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret", "REDIS_URL": None})
    with app.app_context():
        service = ServiceType(key="bench", name="Bench", default_duration=5, allowed_durations=[5],
                              min_notice_minutes=0, max_days_ahead=365)
        db.session.add(service)
        people = [Host(slug=f"host-{n}", name=f"Host {n}", email=f"host{n}@example.com",
                       timezone="Europe/Rome") for n in range(hosts)] if hosts > 1 else [None]
        db.session.add_all(person for person in people if person is not None)
        db.session.flush()
        for person in people:
            if person is not None:
                db.session.add(ServiceTypeHost(service_type_id=service.id, host_id=person.id))
            db.session.add_all([AvailabilitySlot(day_of_week=d, start_time=clock_time(0), end_time=clock_time(23, 55),
                                                 slot_duration=5, service_type="bench",
                                                 host_id=person.id if person else None) for d in range(7)])
        db.session.commit()
        slugs = [person.slug for person in people if person is not None]
        db.engine.dispose()
    return slugs


def starts(first: date):
    """Yield every offered start from `first` on, in order (the last 5 minutes of a day are not)."""
    day = first
    while True:
        midnight = datetime.combine(day, clock_time(0), ROME)
        for n in range(24 * 12 - 1):
            yield (midnight + n * SLOT).astimezone(timezone.utc)
        day += timedelta(days=1)


class Clients:
    """Booking requests, each from a client of its own (address and email)."""

    def __init__(self, slugs: list[str]):
        self.slugs = slugs
        self.run = uuid.uuid4().int % 250 + 1  # a fresh address range per run: rate-limit counters
        self.count = 0

    def client(self, start: datetime, host: int = 0) -> tuple[dict, dict[str, str]]:
        """Return the body and headers of one booking of `start` by a new client (at the host `host` names)."""
        self.count += 1
        n = self.count
        body = {"client_name": f"Client {n}", "client_email": f"c{self.run}-{n}@example.com",
                "service_type": "bench", "scheduled_at": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "duration_minutes": 5, "timezone": "UTC"}
        if self.slugs:
            body["host"] = self.slugs[host % len(self.slugs)]
        return body, {"X-Forwarded-For": f"10.{self.run}.{n // 250 % 250}.{n % 250 + 1}"}

    def booking(self, start: datetime, host: int = 0) -> bytes:
        """Return one booking request for `start` from a new client, as HTTP bytes."""
        body, headers = self.client(start, host)
        return request_bytes("POST", f"{API}/bookings", json.dumps(body).encode(), headers=headers)

    def environ(self, start: datetime, host: int = 0) -> dict:
        """Return one booking request for `start` from a new client, as a WSGI environ."""
        body, headers = self.client(start, host)
        return environ("POST", f"{API}/bookings", body, headers)

    def sustained(self, first: date, count: int, build=None) -> list:
        """Return `count` requests (`build`: `booking` by default), each for a different start (and host, in turn)."""
        build = build or self.booking
        found = starts(first)
        per_host = max(len(self.slugs), 1)
        # every host gets consecutive starts of its own: n-th start of host h = start n // per_host
        times = [next(found) for _ in range(count // per_host + 1)]
        return [build(times[n // per_host], n) for n in range(count)]


def collide(port: int, payloads: list[bytes]) -> Counter:
    """Send all `payloads` at once (one thread each, released together); count the status codes."""
    barrier, answers, lock = threading.Barrier(len(payloads)), Counter(), threading.Lock()

    def send(payload: bytes) -> None:
        barrier.wait()
        code = status(port, payload)
        with lock:
            answers[code] += 1

    threads = [threading.Thread(target=send, args=(payload,)) for payload in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def check_database(url: str) -> dict:
    """Return what the database holds: bookings, overlaps per host, bookings without outbox rows."""
    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        bookings = conn.execute("SELECT count(*) FROM bookings").fetchone()[0]
        overlaps = conn.execute(
            "SELECT count(*) FROM booking_hosts a JOIN booking_hosts b ON a.host_id = b.host_id "
            "AND a.booking_id < b.booking_id AND a.active AND b.active "
            "AND a.scheduled_at < b.ends_at AND b.scheduled_at < a.ends_at").fetchone()[0]
        bare = conn.execute("SELECT count(*) FROM bookings WHERE NOT EXISTS "
                            "(SELECT 1 FROM outbox_messages o WHERE o.booking_id = bookings.id)").fetchone()[0]
    return {"bookings": bookings, "overlaps": overlaps, "without_outbox_rows": bare}


def cpu_seconds(pids: list[int]) -> float:
    """Return the CPU time (user + system) the processes have used so far, from /proc."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # ended meanwhile
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def serving_pids(server, url: str) -> tuple[list[int], list[int]]:
    """Return the gunicorn workers' pids and the pids of the PostgreSQL backends serving the database."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        backends = [pid for (pid,) in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")]
    return [int(pid) for pid in children], backends


@contextmanager
def bench_database(args):
    """Yield a fresh database with the defaults and the "bench" type, its clients and the server's
    environment (as `bench` serves it); drop the database afterwards."""
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    served = url if args.synchronous_commit == "on" else f"{url}?options=-csynchronous_commit%3Doff"
    try:
        prepare(url, bookings=0)
        clients = Clients(add_bench_type(url, args.hosts))
        env = server_env(served, REDIS_URL="redis://127.0.0.1:6379/0", RQ_QUEUE=f"bench-{name}", TRUSTED_PROXIES="1")
        env["RATELIMIT_ENABLED"] = "0" if args.no_limits else "1"
        yield url, clients, env
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def bench(args) -> None:
    """Start the project under gunicorn on a fresh database and run both rounds."""
    with bench_database(args) as (url, clients, env):
        server, port = gunicorn("wsgi:app", env, args.workers)
        try:
            first = date.today() + timedelta(days=2)
            warm = clients.sustained(first, 1000)
            warmed = run(port, warm, connections=args.connections, seconds=2, max_requests=len(warm))
            load = clients.sustained(first + timedelta(days=10), 40_000)
            workers, backends = serving_pids(server, url)
            used = cpu_seconds(workers), cpu_seconds(backends)
            result = run(port, load, connections=args.connections, seconds=args.seconds, max_requests=len(load))
            used = cpu_seconds(workers) - used[0], cpu_seconds(backends) - used[1]
            contested = datetime.combine(first + timedelta(days=300), clock_time(10), ROME).astimezone(timezone.utc)
            rounds = [collide(port, [clients.booking(contested + n * SLOT) for _ in range(args.connections)])
                      for n in range(args.collisions)]
        finally:
            server.terminate()
            server.wait(15)
        stored = check_database(url)
    made = sum(r.requests - r.errors for r in (warmed, result)) + sum(answers[201] for answers in rounds)
    report(args, warmed, result, rounds, stored, made, used)


def in_process(args) -> None:
    """Make `--in-process` bookings through the app as gunicorn serves it (same database and
    environment as `bench`), one at a time; print wall and CPU time per booking and the SQL
    statements sent, or with `--cprofile` the top functions."""
    with bench_database(args) as (_url, clients, env):
        saved = dict(os.environ)
        os.environ.update(env)
        try:
            app = create_app()
        finally:
            os.environ.clear()
            os.environ.update(saved)
        first = date.today() + timedelta(days=2)
        requests = clients.sustained(first, args.in_process + 20, clients.environ)
        for env in requests[:20]:  # the first requests load caches, templates, connections
            assert call(app, env)[0].startswith("201"), "the warm-up was refused"
        measured = requests[20:]
        if args.cprofile:
            print_profile(lambda: [call(app, env) for env in measured])
            return
        statements = []
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", lambda *_args: statements.append(1))
        walls, cpus = [], []
        for env in measured:
            wall, cpu = time.perf_counter(), time.process_time()
            answer = call(app, env)[0]
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            assert answer.startswith("201"), answer
        engine.dispose()
    print(f"in process, {len(measured)} bookings one at a time (PostgreSQL, rate limits "
          f"{'off' if args.no_limits else 'on'}, Redis queue): wall median {statistics.median(walls) * 1000:.2f} ms, "
          f"CPU median {statistics.median(cpus) * 1000:.2f} ms, CPU mean {statistics.mean(cpus) * 1000:.2f} ms, "
          f"{len(statements) / len(measured):.1f} SQL statements per booking")


def report(args, warmed, result, rounds: list[Counter], stored: dict, made: int, used: tuple[float, float]) -> None:
    """Print the sustained rate (and the CPU `used` meanwhile: workers, backends), the collision rounds
    and the database check."""
    limits = "off" if args.no_limits else "on (Redis, one address per client)"
    print(f"PostgreSQL, {args.workers} gunicorn workers, {args.hosts} host(s), {args.connections} connections, "
          f"rate limits {limits}, synchronous_commit {args.synchronous_commit}")
    print(f"warm-up 2 s: {warmed.requests} requests, {warmed.errors} not 2xx (a client's timeout counts here "
          f"though the server may still book)")
    print(f"sustained {args.seconds:.0f} s: {result.rate:,.0f} bookings/s, p50 {result.percentile(50):.1f} ms, "
          f"p99 {result.percentile(99):.1f} ms, {result.requests} requests, {result.errors} not 2xx")
    print(f"CPU per booking while sustained: gunicorn workers {used[0] / result.requests * 1000:.1f} ms, "
          f"PostgreSQL backends {used[1] / result.requests * 1000:.1f} ms")
    one_winner = sum(1 for answers in rounds if answers[201] == 1 and answers[409] == args.connections - 1)
    total = sum(rounds, Counter())
    print(f"collisions: {one_winner}/{len(rounds)} rounds of {args.connections} gave exactly one 201 and "
          f"{args.connections - 1} 409s (all answers: {dict(sorted(total.items()))})")
    print(f"database: {stored['bookings']} bookings for {made} 201s, {stored['overlaps']} overlapping pairs, "
          f"{stored['without_outbox_rows']} without outbox rows")


def parser() -> argparse.ArgumentParser:
    """Return the command line's parser (bench.http --bookings uses it too)."""
    parser = load_parser(seconds=10.0, description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--hosts", type=int, default=1, help="hosts giving the type, named in turn")
    parser.add_argument("--collisions", type=int, default=20, help="rounds of simultaneous requests for one start")
    parser.add_argument("--no-limits", action="store_true", help="turn the rate limits off")
    parser.add_argument("--in-process", type=int, metavar="N", default=0,
                        help="instead: N bookings in this process, one at a time (CPU per booking)")
    parser.add_argument("--cprofile", action="store_true", help="with --in-process: print cProfile's top functions")
    parser.add_argument("--synchronous-commit", default="on", choices=("on", "off"),
                        help="the app's PostgreSQL synchronous_commit (off: no fsync wait at commit)")
    return parser


def main() -> None:
    """Parse the arguments and run the benchmark."""
    args = parser().parse_args()
    in_process(args) if args.in_process else bench(args)


if __name__ == "__main__":
    main()
