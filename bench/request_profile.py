"""Where one request's time goes, in process: every Flask hook, the session, the view, the rest.

    .venv/bin/python -m bench.request_profile [--runs 300] [--cprofile NAME] [--cpu]

The same app and data as `bench.http` (SQLite file, 300 bookings next month, rate limits on
with a limit the run cannot reach), called through `app.wsgi_app` as gunicorn would. Prints,
per endpoint, the median time of the whole request and of each hook (before/after/teardown
functions, session open/save, the view), and the 31-day availability through the API with
500 bookings (target ≤ 5 ms). `--cprofile NAME` prints the top functions of one endpoint.
`--cpu` prints each endpoint's process CPU time per request instead, the best of 7 batches of
300: steadier than wall time on a box shared with other work.
"""
import argparse
import cProfile
import io
import json
import pstats
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import timedelta

from werkzeug.test import EnvironBuilder

from bench.http import API, prepare, store_bookings, weekday_starts
from webapp import create_app
from webapp.extensions import db

#: high enough that no run is refused, so the limiter's real work is measured
UNREACHABLE_LIMIT = "1000000/minute"
_spent: dict[str, list[float]] = defaultdict(list)


def timed(label: str, func):
    """Wrap `func` so each call's duration is recorded under `label`."""
    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            _spent[label].append(time.perf_counter() - began)
    return wrapper


def _name(func) -> str:
    """Return a readable name of a hook: module and function."""
    inner = getattr(func, "__wrapped__", func)
    inner = getattr(inner, "func", inner)  # a functools.partial
    owner = getattr(inner, "__self__", None)
    where = type(owner).__module__ if owner is not None else inner.__module__
    return f"{where}.{inner.__name__}"


def instrument(app) -> None:
    """Time every request hook, the session interface and every view of `app`."""
    for registry in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs,
                     app.url_value_preprocessors, app.template_context_processors):
        kind = {id(app.before_request_funcs): "before", id(app.after_request_funcs): "after",
                id(app.teardown_request_funcs): "teardown", id(app.url_value_preprocessors): "url_value",
                id(app.template_context_processors): "context"}[id(registry)]
        for scope, funcs in registry.items():
            registry[scope] = [timed(f"{kind} {scope or 'app'}: {_name(f)}", f) for f in funcs]
    for endpoint, view in app.view_functions.items():
        app.view_functions[endpoint] = timed(f"view {endpoint}", view)
    interface = app.session_interface
    interface.open_session = timed("session open", interface.open_session)
    interface.save_session = timed("session save", interface.save_session)


def environ(method: str, path: str, body: dict | None = None, headers: dict[str, str] | None = None) -> dict:
    """Return a WSGI environ as gunicorn builds it (gzip accepted, loopback client)."""
    builder = EnvironBuilder(path=path, method=method, headers={"Accept-Encoding": "gzip", **(headers or {})},
                             data=json.dumps(body) if body is not None else None,
                             content_type="application/json" if body is not None else None,
                             environ_base={"REMOTE_ADDR": "127.0.0.1"})
    found = builder.get_environ()
    found["_body"] = found["wsgi.input"].read()
    return found


def call(app, env: dict) -> tuple[str, int]:
    """Run one request through the WSGI app; return its status line and body size."""
    status = []
    body = b"".join(app.wsgi_app(dict(env, **{"wsgi.input": io.BytesIO(env["_body"])}),
                                 lambda s, h, e=None: status.append(s)))
    return status[0], len(body)


def cases(month) -> dict[str, dict]:
    """Return the requests measured, by name."""
    day = month + timedelta(days=(2 - month.weekday()) % 7 + 7)
    one_day = {"start_date": day.isoformat(), "end_date": day.isoformat(), "service_type": "consultation",
               "timezone": "Europe/Rome"}
    month_body = dict(one_day, start_date=month.isoformat(), end_date=(month + timedelta(days=30)).isoformat())
    found = {
        "health": environ("GET", f"{API}/health"),
        "one-day availability": environ("POST", f"{API}/calendar/availability", one_day),
        "month page": environ("GET", f"/book/consultation?month={month:%Y-%m}&tz=Europe/Rome"),
        "31-day availability": environ("POST", f"{API}/calendar/availability", month_body),
    }
    return found


def report(app, name: str, env: dict, runs: int) -> None:
    """Time `runs` requests and print the median of the whole and of each part."""
    for _ in range(20):
        call(app, env)
    _spent.clear()
    totals = []
    for _ in range(runs):
        began = time.perf_counter()
        status, size = call(app, env)
        totals.append(time.perf_counter() - began)
    total = statistics.median(totals)
    print(f"\n## {name}: {status}, {size} bytes, median {total * 1000:.3f} ms, min {min(totals) * 1000:.3f} ms")
    parts = sorted(((statistics.median(v) * len(v) / runs, label) for label, v in _spent.items()), reverse=True)
    for spent, label in parts:
        print(f"  {spent * 1e6:8.0f} µs  {label}")
    hooks = sum(spent for spent, label in parts)
    print(f"  {(total - hooks) * 1e6:8.0f} µs  (rest: WSGI, routing, contexts, response, Werkzeug)")


def cpu_per_request(app, env: dict, batches: int = 7, size: int = 300) -> float:
    """Return the process CPU µs per request of the best of `batches` batches of `size` requests."""
    for _ in range(100):
        call(app, env)
    best = float("inf")
    for _ in range(batches):
        began = time.process_time()
        for _ in range(size):
            call(app, env)
        best = min(best, time.process_time() - began)
    return best / size * 1e6


def print_profile(work, top: int = 45) -> None:
    """Run `work` under cProfile; print its top functions by cumulative, then by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def app_with_bookings(tmp: str, bookings: int):
    """Return the bench app on a fresh SQLite file with `bookings` bookings next month, and the month."""
    url = f"sqlite:///{tmp}/bench-{bookings}.db"
    month = prepare(url, bookings=min(bookings, 300))
    limits = {name: UNREACHABLE_LIMIT for name in ("API_READ_RATE_LIMIT", "API_WRITE_RATE_LIMIT")}
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret", "REDIS_URL": None,
                      "ENV_NAME": "development", "MAIL_DIR": f"{tmp}/mail", "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE_URI": "memory://", **limits})
    if bookings > 300:  # the rest a quarter of an hour later (some overlap: a host may double-book)
        later = [start + timedelta(minutes=15) for start in weekday_starts(month)]
        with app.app_context():
            store_bookings(later[:bookings - 300])
            db.session.remove()
    return app, month


def month_through_api(runs: int = 200) -> tuple[float, float]:
    """Return the median and minimum ms of a 31-day availability API request with 500 bookings."""
    with tempfile.TemporaryDirectory() as tmp:
        app, month = app_with_bookings(tmp, 500)
        env = cases(month)["31-day availability"]
        for _ in range(20):
            call(app, env)
        timings = []
        for _ in range(runs):
            began = time.perf_counter()
            status, _size = call(app, env)
            timings.append((time.perf_counter() - began) * 1000)
        assert status.startswith("200"), status
        return statistics.median(timings), min(timings)


def main() -> None:
    """Prepare the data, instrument the app, report every endpoint."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--cprofile", help="profile this endpoint instead")
    parser.add_argument("--cpu", action="store_true", help="CPU per request instead (best of 7 batches of 300)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app, month = app_with_bookings(tmp, 300)
        requests = cases(month)
        if args.cpu:
            for name, env in requests.items():
                print(f"{name}: {cpu_per_request(app, env):.0f} µs CPU per request")
            return
        if args.cprofile:
            env = requests[args.cprofile]
            for _ in range(20):
                call(app, env)
            print_profile(lambda: [call(app, env) for _ in range(args.runs)])
            return
        instrument(app)
        for name, env in requests.items():
            report(app, name, env, args.runs)
    median, least = month_through_api()
    print(f"\n31-day availability through the API, 500 bookings: median {median:.2f} ms, min {least:.2f} ms")


if __name__ == "__main__":
    main()
