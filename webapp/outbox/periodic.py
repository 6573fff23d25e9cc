"""Run a periodic job once per period across every process: a claimed row per period.

Every process with a timer (each worker.py; each web process without Redis) ticks at the
start of every period; the first to insert the row (job, period) into `periodic_runs` runs
the job, the others find the row and skip. The database decides, so it holds across hosts,
with or without Redis, on PostgreSQL and SQLite. The row records who ran it and how it ended.
A process that dies mid-run leaves its row unfinished; the next period's run catches up
(a periodic job here is idempotent and works on whatever is due).
"""
import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite

from webapp import clock
from webapp.extensions import db
from webapp.models import PeriodicRun

log = logging.getLogger(__name__)

#: how long the runs are kept (older rows are deleted by the job's next run)
KEEP_RUNS = timedelta(days=7)
#: inserts that do nothing when the row exists (no error in the database's log); the app
#: runs on these two databases
_INSERT_OR_SKIP = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def current_period(interval: int, at: float | None = None) -> int:
    """Return the number of the period of `interval` seconds holding `at` (now by default)."""
    return int(time.time() if at is None else at) // max(int(interval), 1)


def runner_name() -> str:
    """Name this process for the record: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(job: str, period: int) -> bool:
    """Insert the run of (job, period) and commit; return False if another process has it."""
    insert_or_skip = _INSERT_OR_SKIP[db.session.get_bind().dialect.name]
    result = db.session.execute(insert_or_skip(PeriodicRun).values(
        job=job, period=period, started_at=clock.now(), runner=runner_name(),
    ).on_conflict_do_nothing().returning(PeriodicRun.period))
    claimed = result.first() is not None  # rowcount is not reliable for ORM inserts
    db.session.commit()
    return claimed


def finish(job: str, period: int, outcome: str) -> None:
    """Record how the run of (job, period) ended."""
    db.session.execute(update(PeriodicRun)
                       .where(PeriodicRun.job == job, PeriodicRun.period == period)
                       .values(finished_at=clock.now(), outcome=outcome))
    db.session.commit()


def forget_old_runs(job: str, period: int, interval: int) -> None:
    """Delete the job's runs older than KEEP_RUNS (the primary key finds them)."""
    oldest = period - int(KEEP_RUNS.total_seconds()) // max(int(interval), 1)
    db.session.execute(delete(PeriodicRun).where(PeriodicRun.job == job,
                                                 PeriodicRun.period < oldest))
    db.session.commit()


def run_once(job: str, period: int, interval: int, work: Callable[[], dict]) -> dict | None:
    """Run `work` if this process claims (job, period); return its result, None if skipped."""
    try:
        if not claim(job, period):
            return None
        forget_old_runs(job, period, interval)
    finally:
        db.session.remove()
    try:
        result = work()
    except Exception:
        finish(job, period, "failed")
        raise
    finally:
        db.session.remove()
    try:
        finish(job, period, "done")
    finally:
        db.session.remove()
    log.info("%s ran for period %s: %s", job, period, result)
    return result
