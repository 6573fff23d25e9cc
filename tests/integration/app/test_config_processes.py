"""Two real server processes on one database: an admin change is seen by the next request in each.

Each process caches the stable configuration; the version number bumped with the change is what
tells the other process, so this is checked over HTTP against two gunicorn processes. The
availability API and the month page use the cached configuration first and check its version
with the bookings query (a stale answer is computed again), so they are checked too.
"""
import os
import sys
from datetime import date, time, timedelta

import httpx
import pytest

from tests.factories import create_block, create_rule
from tests.faults.processes import AppProcess, wait_for_port
from tests.integration.mail.support import free_port
from webapp.extensions import db
from webapp.models import ServiceType
from webapp.services.settings import save_settings

AVAILABILITY = "/api/v1/booking/calendar/availability"


def next_wednesday() -> date:
    """Return a Wednesday a week or more away (inside the defaults' booking window)."""
    day = date.today() + timedelta(days=7)
    return day + timedelta(days=(2 - day.weekday()) % 7)


@pytest.fixture
def servers(app, tmp_path, database_url):
    """Yield the base URLs of two single-worker gunicorn processes on the test's SQLite file."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PORT")}
    env.update(DATABASE_URL=database_url, APP_ENV="development", MAIL_DIR=str(tmp_path / "mail"),
               BOOKING_TIMEZONE="Europe/Rome", RATELIMIT_ENABLED="0", PYTHONUNBUFFERED="1")
    processes, urls = [], []
    for index in range(2):
        port = free_port()
        command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
        processes.append(AppProcess(command, env, tmp_path / f"server{index}.log").start())
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for process, url in zip(processes, urls, strict=True):
            wait_for_port(int(url.rsplit(":", 1)[1]), timeout=30, process=process.process)
        yield urls
    finally:
        for process in processes:
            process.stop()


def starts(url: str, day: date) -> list[str] | None:
    """Return one process's free start times on `day`; None when it refuses the service type."""
    response = httpx.post(url + AVAILABILITY, json={"start_date": day.isoformat(), "end_date": day.isoformat(),
                                                    "service_type": "consultation", "timezone": "Europe/Rome"})
    if response.status_code != 200:
        return None
    return [slot["datetime"] for found in response.json()["availability"] for slot in found["slots"]]


def seen_by_both(urls: list[str], day: date) -> list[str] | None:
    """Return what both processes answer, failing if they disagree."""
    first, second = (starts(url, day) for url in urls)
    assert first == second
    return first


def test_every_process_sees_each_admin_change_on_its_next_request(app, servers):
    """A rule, a block, a service type and a setting, changed in turn: both processes follow."""
    day = next_wednesday()
    before = seen_by_both(servers, day)  # both processes have now cached the configuration
    assert before

    create_rule(day_of_week=day.weekday(), start_time=time(20), end_time=time(21), slot_duration=60)
    assert len(seen_by_both(servers, day)) == len(before) + 1

    block = create_block(blocked_date=day)
    assert seen_by_both(servers, day) == []
    db.session.delete(block)
    db.session.commit()
    assert len(seen_by_both(servers, day)) == len(before) + 1

    service = db.session.scalar(db.select(ServiceType).where(ServiceType.key == "consultation"))
    service.is_active = False
    db.session.commit()
    assert seen_by_both(servers, day) is None

    for url in servers:  # the month page reads the cached configuration first, checked afterwards
        assert httpx.get(url + "/book/consultation").status_code == 404
        assert "Demo" in httpx.get(url + "/book/demo").text
    save_settings(business_name="Renamed In Another Process")
    for url in servers:
        assert "Renamed In Another Process" in httpx.get(url + "/").text
        assert "Renamed In Another Process" in httpx.get(url + "/book/demo").text
