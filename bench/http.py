"""The project and a bare Flask hello under the same gunicorn (2 sync workers), side by side.

    .venv/bin/python -m bench.http [--seconds 5] [--connections 16] [--bookings] [--client python|wrk] [--repeat N]

Loads 300 bookings in next month (SQLite file), then measures req/s and p99 for: bare hello,
/health, one-day availability, the month page, 31-day availability; prints ratios vs the hello,
then the 31-day availability through the API in process with 500 bookings (`bench.request_profile`).
Rate limits stay on (in memory, set too high to refuse anything), so their cost is measured.
`--repeat N` measures the table N times (servers kept up) and prints each row's median ratio.
`--client wrk` loads the read rows with wrk, 1 thread (`bench/wrk.py`), as issue 14 measured: it
takes far less of the 2 cores than the Python client, so every ratio comes out lower with it.
`--bookings` also runs `bench.bookings` (booking creation on PostgreSQL with 4 workers:
sustained, then collisions). Loopback only; timings are never asserted by tests.
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

from bench import wrk
from bench.load import Result, load_parser, request_bytes, run
from config import RATE_LIMITS
from webapp import create_app
from webapp.extensions import db
from webapp.models import Booking
from webapp.services.defaults import load_defaults
from webapp.services.tokens import manage_token, token_hash

ROOT = Path(__file__).resolve().parent.parent
ROME = ZoneInfo("Europe/Rome")
API = "/api/v1/booking"


def free_port() -> int:
    """Return a loopback port nothing listens on (just now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn(target: str, env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    """Start gunicorn (sync workers) on a free port and wait until it answers."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
                                f"127.0.0.1:{port}", "--log-level", "warning", target],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{target} did not start")


def next_month() -> date:
    """Return the first day of next month (inside the defaults' 60-day window)."""
    today = date.today()
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1)


def weekday_starts(month: date) -> list[datetime]:
    """Return the month's weekday starts of the default rules (09:00-17:00 Rome, every 30 min)."""
    starts, day = [], month
    while day.month == month.month:
        if day.weekday() < 5:
            starts += [datetime.combine(day, clock_time(9), ROME) + timedelta(minutes=30 * n) for n in range(16)]
        day += timedelta(days=1)
    return starts


def store_bookings(starts: list[datetime]) -> None:
    """Store one confirmed 30-minute consultation at each start (rows, as a seed would)."""
    for n, start in enumerate(starts):
        uid = f"bench{n:05d}{uuid.uuid4().hex[:8]}"
        db.session.add(Booking(uid=uid, manage_token_hash=token_hash(manage_token(uid)), client_name=f"Client {n}",
                               client_email=f"c{n}@example.com", service_type="consultation",
                               title="Consultation", scheduled_at=start, ends_at=start + timedelta(minutes=30),
                               duration_minutes=30, timezone="Europe/Rome", status="confirmed", version=0))
    db.session.commit()


def prepare(database_url: str, *, bookings: int = 300) -> date:
    """Create the schema, the defaults and `bookings` bookings spread over next month."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret", "REDIS_URL": None})
    month = next_month()
    with app.app_context():
        db.create_all()
        load_defaults()
        starts = weekday_starts(month)
        store_bookings([starts[n * len(starts) // bookings] for n in range(bookings)])
        db.session.remove()
        db.engine.dispose()
    return month


def availability(start: date, end: date) -> bytes:
    """Return an availability API request for consultation between two dates."""
    body = {"start_date": start.isoformat(), "end_date": end.isoformat(), "service_type": "consultation",
            "timezone": "Europe/Rome"}
    return request_bytes("POST", f"{API}/calendar/availability", json.dumps(body).encode())


#: rate limits stay on (their cost is part of a request) but so high that no run reaches them
UNREACHABLE_LIMITS = {name: "1000000/minute" for name in RATE_LIMITS}


def server_env(database_url: str, **extra: str) -> dict:
    """Return the environment of the project's gunicorn: development, unreachable rate limits, no Redis."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PORT", "RATELIMIT_STORAGE_URI")}
    env.update(DATABASE_URL=database_url, APP_ENV="development", SECRET_KEY="bench-secret",
               RATELIMIT_ENABLED="1", MAIL_SERVER="", SENDGRID_API_KEY="", PYTHONPATH=str(ROOT),
               **UNREACHABLE_LIMITS, **extra)
    return env


def table(rows: list[tuple[str, Result | wrk.WrkResult, Result | wrk.WrkResult]]) -> None:
    """Print req/s, p50, p99 and the ratio to the bare hello measured just before each row."""
    print("| endpoint | req/s | × bare hello | p50 | p99 | errors |")
    print("|---|---|---|---|---|---|")
    for name, result, hello in rows:
        print(f"| {name} | {result.rate:,.0f} | {result.rate / hello.rate:.2f} | {result.percentile(50):.1f} ms | "
              f"{result.percentile(99):.1f} ms | {result.errors} |")


def loader(args):
    """Return (port, payloads, seconds) -> result for the chosen client: wrk (one payload) or the Python one."""
    if args.client == "wrk":
        if not wrk.available():
            raise SystemExit("wrk is not installed (Debian: apt-get install -y wrk); or use --client python")
        return lambda port, payloads, seconds: wrk.run(port, payloads[0], connections=args.connections, seconds=seconds)
    return lambda port, payloads, seconds: run(port, payloads, connections=args.connections, seconds=seconds)


def measure_rows(args, ports: dict[str, int], cases: list) -> list[tuple]:
    """Measure each case right after a hello run of its own (the box drifts): (name, result, hello)."""
    rows = []
    load = loader(args)
    for name, server, payloads in cases:
        load(ports[server], payloads, 1)  # warm up
        hello_run = load(ports["hello"], cases[0][2], args.seconds)
        measured = hello_run if server == "hello" else load(ports[server], payloads, args.seconds)
        rows.append((name, measured, hello_run))
    return rows


def median_ratios(tables: list[list[tuple]]) -> str:
    """Return each measured row's median ratio to its hello run over several tables."""
    ratios: dict[str, list[float]] = {}
    for rows in tables:
        for name, result, hello in rows:
            if result is not hello:
                ratios.setdefault(name, []).append(result.rate / hello.rate)
    return "; ".join(f"{name} {statistics.median(values):.2f}" for name, values in ratios.items())


def read_endpoints(args) -> None:
    """Measure the read endpoints against the bare hello."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        month = prepare(url)
        day = month + timedelta(days=(2 - month.weekday()) % 7 + 7)  # a Wednesday
        cases = [
            ("bare Flask JSON hello", "hello", [request_bytes("GET", "/")]),
            ("/api/v1/booking/health", "app", [request_bytes("GET", f"{API}/health")]),
            ("one-day availability (API POST)", "app", [availability(day, day)]),
            ("month page /book/consultation", "app",
             [request_bytes("GET", f"/book/consultation?month={month:%Y-%m}&tz=Europe/Rome")]),
            ("31-day availability (API POST)", "app", [availability(month, month + timedelta(days=30))]),
        ]
        hello, hello_port = gunicorn("bench.hello:app", server_env(url), 2)
        app, app_port = gunicorn("wsgi:app", server_env(url, MAIL_DIR=f"{tmp}/mail"), 2)
        try:
            ports = {"hello": hello_port, "app": app_port}
            tables = [measure_rows(args, ports, cases) for _ in range(args.repeat)]
        finally:
            for process in (hello, app):
                process.terminate()
                process.wait(15)
    print(f"{args.client} client, {args.connections} connections, {args.seconds:.0f} s per row, 300 bookings in "
          f"{month:%B %Y}; each ratio is to a hello run just before the row\n")
    for rows in tables:
        table(rows)
        print()
    if len(tables) > 1:
        print(f"median × bare hello over the {len(tables)} tables: {median_ratios(tables)}")
    from bench.request_profile import month_through_api  # it reuses this module's data set-up

    median, least = month_through_api()
    print(f"\n31-day availability through the API in process, 500 bookings: median {median:.2f} ms, "
          f"min {least:.2f} ms (target ≤ 5 ms)")


def main() -> None:
    """Parse the arguments and run the benchmarks."""
    parser = load_parser(seconds=5.0)
    parser.add_argument("--bookings", action="store_true", help="also booking creation on PostgreSQL")
    parser.add_argument("--only-bookings", action="store_true", help="booking creation only")
    parser.add_argument("--repeat", type=int, default=1, help="measure the read table this many times")
    parser.add_argument("--client", choices=("python", "wrk"), default="python",
                        help="the read rows' load generator: the threaded Python client, or wrk (issue 14's)")
    args = parser.parse_args()
    if not args.only_bookings:
        read_endpoints(args)
    if args.bookings or args.only_bookings:  # bench.bookings imports this module: import it here
        from bench import bookings

        bookings.bench(bookings.parser().parse_args(["--seconds", str(args.seconds),
                                                      "--connections", str(args.connections)]))


if __name__ == "__main__":
    main()
