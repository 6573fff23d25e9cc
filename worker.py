"""The RQ worker: create the app once, push its context, run the sweep timer, then work.

    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python worker.py

Jobs run in this process (RQ's SimpleWorker: no fork per job, so database connections are
never shared across a fork). Meeting steps run on threads of their own
(OUTBOX_MEETING_THREADS, default here 4), so a provider that hangs delays no email.
A daemon thread runs the sweep every SWEEP_INTERVAL_SECONDS (default 60): due reminders and
follow-ups, retries and rows whose lease ran out (OUTBOX_LEASE_SECONDS, default 60: a killed
worker's rows) go back on the queue, and bookings whose end passed become completed. The
sweep lives in the database, not in Redis, so it survives a Redis flush, restart or outage
(RQ reconnects by itself). Run several workers if you like: claiming a row is a status
transition, so each row is performed by one worker at a time.
"""
import logging
import sys

from redis import Redis
from rq import SimpleWorker

from webapp import create_app
from webapp.outbox import SweepTimer

#: meeting threads when OUTBOX_MEETING_THREADS is not set
DEFAULT_MEETING_THREADS = 4


def main() -> int:
    """Run the worker until SIGTERM/SIGINT."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app()
    if not app.config.get("REDIS_URL"):
        print("REDIS_URL is not set: without Redis, `flask serve` runs the jobs in process.",
              file=sys.stderr)
        return 2
    app.config["OUTBOX_MEETING_THREADS"] = (app.config.get("OUTBOX_MEETING_THREADS")
                                            or DEFAULT_MEETING_THREADS)
    app.app_context().push()
    SweepTimer(app, app.config["SWEEP_INTERVAL_SECONDS"]).start()
    connection = Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=2,
                                health_check_interval=10)
    worker = SimpleWorker([app.config["RQ_QUEUE"]], connection=connection)
    worker.work(logging_level="INFO")
    return 0


if __name__ == "__main__":
    sys.exit(main())
