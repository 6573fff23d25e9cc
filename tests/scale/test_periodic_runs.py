"""A periodic job runs once per period however many processes tick, on SQLite and PostgreSQL."""
import logging
import threading
import time

import pytest

from tests.services import fresh_postgres_database
from webapp.extensions import db
from webapp.models import PeriodicRun
from webapp.outbox import SweepTimer
from webapp.outbox.periodic import KEEP_RUNS, current_period, run_once
from webapp.outbox.sweep import SWEEP_JOB


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Both databases the app runs on (PostgreSQL skips without a server, fails in CI)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'booking.db'}"
        return
    with fresh_postgres_database() as url:
        yield url


def runs(job: str = "job") -> list[PeriodicRun]:
    """The recorded runs of `job`, by period."""
    found = list(db.session.scalars(db.select(PeriodicRun).where(PeriodicRun.job == job)
                                    .order_by(PeriodicRun.period)))
    db.session.remove()
    return found


def test_processes_ticking_at_once_run_the_period_once(app):
    calls, ready, results = [], threading.Barrier(4), []

    def process() -> None:
        """One process's tick: its own app context and database session."""
        with app.app_context():
            ready.wait()
            results.append(run_once("job", 1000, 60, lambda: calls.append(1) or {"n": 1}))

    threads = [threading.Thread(target=process) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert len(calls) == 1
    assert sorted(results, key=str) == [None, None, None, {"n": 1}]
    [run] = runs()
    assert (run.period, run.outcome) == (1000, "done") and run.finished_at >= run.started_at
    assert ":" in run.runner


def test_a_failed_run_is_recorded_and_the_next_period_runs(app):
    def fail() -> dict:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        run_once("job", 7, 60, fail)
    assert run_once("job", 7, 60, lambda: {"again": True}) is None
    assert run_once("job", 8, 60, lambda: {"next": True}) == {"next": True}
    assert [(r.period, r.outcome) for r in runs()] == [(7, "failed"), (8, "done")]


def test_runs_older_than_a_week_are_forgotten(app):
    interval = 3600
    week = int(KEEP_RUNS.total_seconds()) // interval
    for period in (100, 101):
        run_once("job", period, interval, dict)
    run_once("job", 100 + week + 1, interval, dict)
    assert [r.period for r in runs()] == [101, 100 + week + 1]


def test_timers_of_several_processes_sweep_each_period_once(app, caplog):
    caplog.set_level(logging.INFO, logger="webapp.outbox.periodic")
    timers = [SweepTimer(app, 1) for _ in range(3)]
    first = current_period(1)
    for timer in timers:
        timer.start()
    time.sleep(3.5)
    for timer in timers:
        timer.stop()
    for timer in timers:
        timer.join(10)

    swept = [r for r in runs(SWEEP_JOB) if r.period >= first]
    periods = [r.period for r in swept]
    assert len(periods) >= 3 and periods == list(range(periods[0], periods[-1] + 1))
    assert {r.outcome for r in swept} == {"done"}
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith(SWEEP_JOB)]
    assert len(logged) == len(swept)  # each period swept by one process: one log line each
