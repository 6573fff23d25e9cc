"""Who performs outbox jobs: RQ on Redis, or a thread of this process; and the sweep timer.

With REDIS_URL the web app only enqueues; `worker.py` performs the jobs and runs the sweep.
Without it the embedded runner performs each job on one background thread after commit
and runs the sweep on a timer, so `make run` delivers everything with no Redis at all.
Nothing here does I/O until the first enqueue or `start()`.
"""
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from flask import Flask

from webapp.outbox.perform import run_outbox_message
from webapp.outbox.periodic import current_period
from webapp.outbox.sweep import run_periodic_sweep

log = logging.getLogger(__name__)

#: the RQ job's import path (the worker imports it by name)
JOB = f"{run_outbox_message.__module__}.{run_outbox_message.__name__}"
#: the RQ options of every outbox job (no result kept, a failure kept a day, two minutes to run)
JOB_OPTIONS = {"result_ttl": 0, "failure_ttl": 86400, "timeout": 120}
#: RQ job states in which an id needs no second enqueue
WAITING = ("queued", "started", "scheduled", "deferred")


def job_id(message_id: int, generation: str | None = None) -> str:
    """Return the RQ job id of an outbox row (one job per row and generation at a time)."""
    return f"outbox-{message_id}" if generation is None else f"outbox-{message_id}-{generation}"


class RqRunner:
    """Enqueue outbox ids on the RQ queue named RQ_QUEUE."""

    def __init__(self, app: Flask):
        self.redis_url = app.config["REDIS_URL"]
        self.queue_name = app.config["RQ_QUEUE"]
        self._queue = None
        self._jobs = None

    @property
    def queue(self):
        """Return the RQ queue (the connection opens on first use)."""
        if self._queue is None:
            from redis import Redis
            from rq import Queue

            # Short timeouts: an unreachable Redis must not hang the request that committed.
            connection = Redis.from_url(self.redis_url, socket_connect_timeout=2, socket_timeout=5)
            self._queue = Queue(self.queue_name, connection=connection)
        return self._queue

    @property
    def jobs(self):
        """Return the writer of this queue's outbox jobs (RQ makes their common fields once)."""
        if self._jobs is None:
            from webapp.outbox.rq_jobs import JobWriter

            self._jobs = JobWriter(self.queue, JOB, **JOB_OPTIONS)
        return self._jobs

    def enqueue(self, ids: list[int], *, skip_waiting: bool = False,
                generation: str | None = None) -> None:
        """Put each id on the queue; with `skip_waiting`, not those already waiting there.

        One Redis round trip for all of them (one script writing what RQ's `Queue.enqueue` would:
        `rq_jobs`), plus one to look for waiting jobs.
        """
        from rq.job import Job

        names = {message_id: job_id(message_id, generation) for message_id in ids}
        if skip_waiting and names:
            found = Job.fetch_many(list(names.values()), connection=self.queue.connection)
            waiting = {job.id for job in found if job is not None and job.get_status(refresh=False) in WAITING}
            names = {message_id: name for message_id, name in names.items() if name not in waiting}
        if not names:
            return
        self.jobs.write({name: message_id for message_id, name in names.items()})

    def discard(self, ids: list[int]) -> None:
        """Take the ids' jobs off the queue, and delete those taken (a job already running is left alone)."""
        from rq.job import Job

        names = [job_id(message_id) for message_id in ids]
        with self.queue.connection.pipeline(transaction=False) as pipe:
            for name in names:
                self.queue.remove(name, pipeline=pipe)
            removed = pipe.execute()
        taken = [Job.key_for(name) for name, count in zip(names, removed, strict=True) if count]
        if taken:
            self.queue.connection.delete(*taken)

    def start(self) -> None:
        """Nothing to start: worker.py performs the jobs and runs the sweep."""


class EmbeddedRunner:
    """Perform jobs on one background thread of this process; sweep on a timer."""

    def __init__(self, app: Flask):
        self.app = app
        self.interval = app.config["SWEEP_INTERVAL_SECONDS"]
        #: tests create bookings without threads unless they ask for the runner
        self.autostart = bool(app.config.get("JOBS_AUTOSTART", not app.config.get("TESTING")))
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._timer: SweepTimer | None = None
        self._waiting: set[int] = set()

    def start(self) -> None:
        """Start the job thread and the sweep timer (once)."""
        with self._lock:
            if self._executor is not None:
                return
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="booking-jobs")
            self._timer = SweepTimer(self.app, self.interval, submit=self.submit_sweep)
            self._timer.start()
        log.info("Embedded job runner started (sweep every %ss)", self.interval)

    def stop(self) -> None:
        """Stop the timer and wait for the queued jobs (tests and shutdown)."""
        with self._lock:
            executor, timer, self._executor, self._timer = self._executor, self._timer, None, None
        if timer:
            timer.stop()
        if executor:
            executor.shutdown(wait=True)

    def enqueue(self, ids: list[int], *, skip_waiting: bool = False,
                generation: str | None = None) -> None:
        """Run each id on the job thread (starting it if allowed); repeats are dropped."""
        if self._executor is None:
            if not self.autostart:
                return
            self.start()
        for message_id in ids:
            with self._lock:
                if message_id in self._waiting or self._executor is None:
                    continue
                self._waiting.add(message_id)
                self._executor.submit(self._run, message_id)

    def discard(self, ids: list[int]) -> None:
        """Nothing to drop: a job whose row was done elsewhere finds it done (one read)."""

    def submit_sweep(self, period: int) -> None:
        """Queue the period's sweep on the job thread, so jobs and sweeps never overlap."""
        with self._lock:
            if self._executor is not None:
                self._executor.submit(self._sweep, period)

    def _run(self, message_id: int) -> None:
        """Perform one outbox row inside an app context."""
        with self._lock:
            self._waiting.discard(message_id)
        with self.app.app_context():
            try:
                run_outbox_message(message_id)
            except Exception:  # the row keeps its state; the sweep retries it
                log.exception("Outbox job %s failed", message_id)

    def _sweep(self, period: int) -> None:
        """Run the period's sweep inside an app context (unless another process ran it)."""
        with self.app.app_context():
            try:
                run_periodic_sweep(period)
            except Exception:
                log.exception("Sweep failed")


class SweepTimer(threading.Thread):
    """Call `submit(period)` at the start of every period of `interval` seconds until stopped.

    Periods are counted from the epoch, so every process's timer ticks at the same instants
    and names the same period; `run_periodic_sweep` lets one of them sweep it. A tick that
    comes late (a long sweep) is made at once, so this process misses no period it lives through.
    """

    def __init__(self, app: Flask, interval: float, submit=None):
        super().__init__(name="booking-sweep", daemon=True)
        self.app = app
        self.interval = max(int(interval), 1)
        self.submit = submit or self._sweep_here
        self._stopped = threading.Event()

    def run(self) -> None:
        """Sweep the current period at once, then each next one at its start."""
        period = current_period(self.interval)
        while not self._stopped.is_set():
            try:
                self.submit(period)
            except Exception:
                log.exception("Sweep failed")
            period = max(period + 1, current_period(self.interval))
            self._stopped.wait(max(0.0, period * self.interval - time.time()))

    def stop(self) -> None:
        """Stop after the current sweep."""
        self._stopped.set()

    def _sweep_here(self, period: int) -> None:
        """Run the period's sweep on this thread (the RQ worker's timer)."""
        with self.app.app_context():
            run_periodic_sweep(period)


def create_runner(app: Flask) -> RqRunner | EmbeddedRunner:
    """Return the runner `app`'s configuration asks for (RQ with REDIS_URL), without I/O."""
    return RqRunner(app) if app.config.get("REDIS_URL") else EmbeddedRunner(app)
