"""gunicorn with deploy/gunicorn.conf.py: it serves the app, logs no secret, reloads gracefully."""
import os
import re
import runpy
import signal
import threading
import time
from datetime import date, timedelta
from urllib.parse import urlsplit

import httpx
import pytest

from tests.deploy.conftest import CONF, WORKERS
from tests.deploy.tools import wait_until, worker_pids


@pytest.fixture(scope="module")
def conf() -> dict:
    """The names gunicorn.conf.py defines, as gunicorn reads them."""
    return runpy.run_path(str(CONF))


@pytest.mark.parametrize(("path", "logged"), [
    ("/manage/Abc-123_xyz", "/manage/[redacted]"),
    ("/manage/Abc-123_xyz/reschedule/confirm", "/manage/[redacted]/reschedule/confirm"),
    ("/manage/lost", "/manage/lost"),
    ("/booking/Abc-123_xyz", "/booking/[redacted]"),
    ("/embed/default/booking/Abc-123_xyz", "/embed/default/booking/[redacted]"),
    ("/api/v1/booking/bookings/Q2x9rT5vKp0aZ1bY3cX4dW", "/api/v1/booking/bookings/[redacted]"),
    ("/api/v1/booking/bookings/Q2x9rT5vKp0aZ1bY3cX4dW/cancel",
     "/api/v1/booking/bookings/[redacted]/cancel"),
    ("/api/v1/booking/bookings", "/api/v1/booking/bookings"),
    ("/api/v1/booking/health", "/api/v1/booking/health"),
    ("/book/consultation", "/book/consultation"),
])
def test_secret_path_segments_are_redacted(conf, path, logged):
    assert conf["redact_path"](path) == logged


def test_client_addresses_are_logged_as_their_network(conf):
    assert conf["client_network"]("203.0.113.77") == "203.0.113.0"
    assert conf["client_network"]("2001:db8:85a3:8d3:1319:8a2e:370:7348") == "2001:db8:85a3::"
    assert conf["client_network"]("") == "-"


def test_workers_default_to_twice_the_cores_plus_one_at_most_eight(conf):
    assert [conf["default_workers"](cores) for cores in (1, 2, 3, 16)] == [3, 5, 7, 8]


def book(client: httpx.Client, email: str) -> dict:
    """Book the first free consultation of the coming two weeks through the API."""
    today = date.today()
    availability = client.post("/api/v1/booking/calendar/availability", json={
        "start_date": str(today + timedelta(days=1)), "end_date": str(today + timedelta(days=14)),
        "service_type": "consultation", "timezone": "Europe/Rome"}).json()
    slot = next(s for day in availability["availability"] for s in day["slots"] if s["available"])
    answer = client.post("/api/v1/booking/bookings", json={
        "client_name": "Giulia Bianchi", "client_email": email, "service_type": "consultation",
        "scheduled_at": slot["datetime"], "duration_minutes": 30, "timezone": "Europe/Rome"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def assert_logs_hold_no_secret(server, booking: dict, email: str) -> None:
    """The access log has the requests, redacted; neither log has a token, uid, query or email."""
    token = urlsplit(booking["manage_url"]).path.rsplit("/", 1)[1]
    access = server.settled_access_log()
    assert '"GET /manage/[redacted]" 200' in access
    assert '"GET /api/v1/booking/bookings/[redacted]" 200' in access
    assert re.search(r'^127\.0\.0\.0 "POST /api/v1/booking/bookings" 201 ', access, re.MULTILINE)
    for log in (access, server.error_log.read_text()):
        for secret in (token, booking["uid"], "utm_source", "query-secret", email, "?"):
            assert secret not in log


def test_gunicorn_serves_bookings_and_logs_no_token_or_query(gunicorn):
    client = gunicorn.client
    email = "giulia.bianchi@example.com"
    booking = book(client, email)
    manage_path = urlsplit(booking["manage_url"]).path
    assert client.get(manage_path, params={"utm_source": "query-secret"}).status_code == 200
    assert client.get(f"/api/v1/booking/bookings/{booking['uid']}").status_code == 200
    assert_logs_hold_no_secret(gunicorn, booking, email)


def test_hup_replaces_every_worker_without_failing_a_request(gunicorn):
    process, client = gunicorn.process, gunicorn.client
    before = worker_pids(process.pid)
    statuses, errors, stop = [], [], threading.Event()

    def keep_asking():
        """Ask for the health page without pause until told to stop."""
        with httpx.Client(base_url=str(client.base_url), timeout=30) as own:
            while not stop.is_set():
                try:
                    statuses.append(own.get("/api/v1/booking/health").status_code)
                except httpx.HTTPError as exc:
                    errors.append(repr(exc))

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        time.sleep(0.5)
        os.kill(process.pid, signal.SIGHUP)
        wait_until(lambda: (pids := worker_pids(process.pid)) and len(pids) == WORKERS
                   and not pids & before, "the old workers to be replaced")
        time.sleep(0.5)
    finally:
        stop.set()
        asker.join(timeout=40)
    assert errors == [] and statuses and set(statuses) == {200}
    assert process.poll() is None  # the master stayed: same socket, same pid
    email = "after.reload@example.com"
    booking = book(client, email)  # the new workers serve writes too, and log the same way
    assert client.get(urlsplit(booking["manage_url"]).path).status_code == 200
    assert client.get(f"/api/v1/booking/bookings/{booking['uid']}").status_code == 200
    assert_logs_hold_no_secret(gunicorn, booking, email)
