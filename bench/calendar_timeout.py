"""The booking pages under load, without an outside calendar and with one whose server never answers.

    .venv/bin/python -m bench.calendar_timeout [--seconds 10] [--connections 16] [--rounds 2]

PostgreSQL (127.0.0.1:5432, a database of its own, dropped after) with 300 bookings in next
month, the project under gunicorn (2 sync workers) and the real `worker.py` (Redis at
127.0.0.1:6379, a queue of its own) sweeping every second with CALENDAR_REFRESH_SECONDS=1 and
CALENDAR_TIMEOUT_SECONDS=2. Rounds alternate: A, no outside calendar; B, an .ics source that
answered once (one busy hour on a free time) and then never answers, which the worker keeps
trying while the pages are loaded. Each round cycles the month page, the day page and the
one-day availability API and prints p50/p99; the last lines pool the rounds of each kind and
say whether the cached busy hour still blocked after the failing reads. Loopback only.
"""
import json
import subprocess
import sys
import threading
import uuid
from contextlib import contextmanager, suppress
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.http import ROME, ROOT, availability, gunicorn, prepare, server_env
from bench.load import Result, load_parser, request_bytes, run
from webapp import create_app
from webapp.extensions import db
from webapp.models import CalendarSource
from webapp.services import calendar_sources
from webapp.services.calendar_sync import refresh_source
from webapp.services.hosts import default_host

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
#: seconds a read of the source may take (the worker's; pages never wait for it)
TIMEOUT_SECONDS = 2


class Feed:
    """An .ics server on loopback that answers with one busy event, or never answers once told to hang."""

    def __init__(self, busy_start: datetime):
        end = busy_start + timedelta(hours=1)
        self.body = "\r\n".join([
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN", "BEGIN:VEVENT", "UID:bench-busy",
            "DTSTAMP:20260101T000000Z", f"DTSTART:{busy_start:%Y%m%dT%H%M%SZ}", f"DTEND:{end:%Y%m%dT%H%M%SZ}",
            "SUMMARY:Dentist", "END:VEVENT", "END:VCALENDAR", ""]).encode()
        self.hanging = False
        self.requests = 0
        self.released = threading.Event()
        feed = self

        class Handler(BaseHTTPRequestHandler):
            """Serve the feed, or hold the connection until the bench ends."""

            def do_GET(self):  # noqa: N802 (the stdlib's name)
                """Answer with the feed unless hanging."""
                feed.requests += 1
                if feed.hanging:
                    feed.released.wait()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar")
                self.send_header("Content-Length", str(len(feed.body)))
                self.end_headers()
                self.wfile.write(feed.body)

            def log_message(self, *args):
                """Stay quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/calendar.ics"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        """Release the held connections and stop."""
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def database():
    """Create a PostgreSQL database for the run; drop it after."""
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def free_start(port: int, month: date) -> datetime:
    """Return the first free start the API offers in the month (the busy hour goes there)."""
    slots = day_slots(port, month, month + timedelta(days=30))
    return min(slots)


def day_slots(port: int, first: date, last: date) -> set[datetime]:
    """Return the free starts (UTC) the availability API offers between two dates (it answers in Rome time)."""
    raw = _get(port, availability(first, last))
    body = json.loads(raw.split(b"\r\n\r\n", 1)[1])
    return {datetime.fromisoformat(slot["datetime"]).replace(tzinfo=ROME).astimezone(timezone.utc)
            for day in body["availability"] for slot in day["slots"]}


def _get(port: int, payload: bytes) -> bytes:
    """Send one request without compression and return the whole answer."""
    import socket

    payload = payload.replace(b"Accept-Encoding: gzip\r\n", b"")
    with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:  # a cold worker on a busy box
        sock.sendall(payload)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def environment(url: str, queue: str) -> dict:
    """Return the servers' and the worker's environment: Redis (so only worker.py sweeps), fast calendar reads."""
    return server_env(url, REDIS_URL="redis://127.0.0.1:6379/0", RQ_QUEUE=queue, SWEEP_INTERVAL_SECONDS="1",
                      CALENDAR_REFRESH_SECONDS="1", CALENDAR_TIMEOUT_SECONDS=str(TIMEOUT_SECONDS))


def start_worker(env: dict) -> subprocess.Popen:
    """Start worker.py: it sweeps every second and reads every active calendar at each sweep."""
    return subprocess.Popen([sys.executable, "worker.py"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def add_failing_source(app, feed: Feed, now: datetime) -> int:
    """Add the default host's feed, read it once while it answers, then make it hang; return its id."""
    feed.hanging = False
    with app.app_context():
        source = calendar_sources.create_source(host_id=default_host().id, kind="ics", name="Bench feed",
                                                url=feed.url)
        assert refresh_source(source.id, now), "the feed's first read failed"
        source_id = source.id
        db.session.remove()
    feed.hanging = True
    return source_id


def source_state(app, source_id: int) -> CalendarSource:
    """Return the source as stored (detached)."""
    with app.app_context():
        source = db.session.get(CalendarSource, source_id)
        db.session.expunge(source)
        db.session.remove()
        return source


def remove_source(app, source_id: int) -> None:
    """Remove the source (its cached busy times with it)."""
    with app.app_context():
        calendar_sources.delete_source(source_id)
        db.session.remove()


def measure(port: int, payloads: list[bytes], args) -> Result:
    """Warm up for a second, then load the pages for the run's seconds."""
    run(port, payloads, connections=args.connections, seconds=1)
    return run(port, payloads, connections=args.connections, seconds=args.seconds)


def pooled(results: list[Result]) -> Result:
    """Return the results of several runs as one."""
    return Result(sum(r.requests for r in results), sum(r.errors for r in results),
                  sum(r.seconds for r in results), [x for r in results for x in r.latencies])


def line(name: str, result: Result) -> str:
    """Return one table row."""
    return (f"| {name} | {result.requests:,} | {result.rate:,.0f} | {result.percentile(50):.1f} ms | "
            f"{result.percentile(99):.1f} ms | {result.errors} |")


def main() -> None:
    """Run the alternating rounds and print the table."""
    parser = load_parser(seconds=10.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with database() as url:
        month = prepare(url)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret", "REDIS_URL": None,
                          "CALENDAR_TIMEOUT_SECONDS": TIMEOUT_SECONDS})
        env = environment(url, f"bench-{uuid.uuid4().hex[:8]}")
        server, port = gunicorn("wsgi:app", env, 2)
        worker = start_worker(env)
        busy = free_start(port, month)
        day = busy.date()
        feed = Feed(busy)
        payloads = [request_bytes("GET", f"/book/consultation?month={month:%Y-%m}&tz=Europe/Rome"),
                    request_bytes("GET", f"/book/consultation?day={day}&tz=Europe/Rome"),
                    availability(day, day)]
        rows, kinds, blocked = [], {"A": [], "B": []}, []
        try:
            for number in range(1, args.rounds + 1):
                result = measure(port, payloads, args)
                kinds["A"].append(result)
                rows.append(line(f"{number}A: no outside calendar", result))

                source_id = add_failing_source(app, feed, datetime.now(timezone.utc))
                asked = feed.requests
                result = measure(port, payloads, args)
                kinds["B"].append(result)
                state = source_state(app, source_id)
                blocked.append(busy not in day_slots(port, day, day) and state.failing_since is not None)
                rows.append(line(f"{number}B: a source that never answers ({feed.requests - asked} reads "
                                 f"cut off after {TIMEOUT_SECONDS} s)", result))
                remove_source(app, source_id)
        finally:
            for process in (server, worker):
                process.terminate()
                with suppress(subprocess.TimeoutExpired):
                    process.wait(15)
            feed.close()
            with app.app_context():
                db.engine.dispose()
    print(f"{args.connections} connections, {args.seconds:.0f} s per round, month page + day page + one-day "
          f"availability in turn; busy hour {busy:%Y-%m-%d %H:%M} UTC\n")
    print("| round | requests | req/s | p50 | p99 | errors |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(row)
    print(line("all A rounds", pooled(kinds["A"])))
    print(line("all B rounds", pooled(kinds["B"])))
    print(f"\ncached busy hour still blocked while the source failed: {'yes' if all(blocked) else 'NO'} "
          f"({sum(blocked)}/{len(blocked)} rounds)")


if __name__ == "__main__":
    main()
