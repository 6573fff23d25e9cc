"""Threads beside the job loop for meeting steps, so a provider that hangs holds no email."""
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from flask import Flask

from webapp.extensions import db

log = logging.getLogger(__name__)


class AsideThreads:
    """A pool of threads that each run a call inside an app context, started on first use."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def submit(self, app: Flask, threads: int, call, *args) -> None:
        """Run `call(*args)` on one of `threads` threads (the pool's size is fixed at first use)."""
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="meetings")
        self._pool.submit(self._run, app, call, *args)

    @staticmethod
    def _run(app: Flask, call, *args) -> None:
        """Run the call in an app context; a failure is logged (the row's lease brings it back)."""
        with app.app_context():
            try:
                call(*args)
            except Exception:
                log.exception("Meeting step failed")
            finally:
                db.session.remove()


#: one per process
ASIDE = AsideThreads()
