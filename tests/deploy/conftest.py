"""A gunicorn started with deploy/gunicorn.conf.py on the test's SQLite database."""
import signal
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.deploy.tools import DEPLOY, ROOT, clean_environment, free_port, wait_until, worker_pids

CONF = DEPLOY / "gunicorn.conf.py"
#: gunicorn workers the tests start (the HUP test waits for this many new ones)
WORKERS = 2


@dataclass
class Gunicorn:
    """A running gunicorn: its master process, a client of it, its port and log files."""

    process: subprocess.Popen
    client: httpx.Client
    port: int
    access_log: Path
    error_log: Path

    def settled_access_log(self) -> str:
        """Return the access log once the lines of the requests answered so far are written.

        gunicorn logs a request just after answering it, so a test that reads the log at once
        may miss the last line: ask for a marker page and wait for its line.
        """
        marker = f"/log-marker-{uuid.uuid4().hex}"
        self.client.get(marker)
        return wait_until(lambda: marker in (text := self.access_log.read_text()) and text,
                          "the access log to catch up", seconds=10)


@pytest.fixture
def gunicorn(app, database_url, tmp_path):
    """gunicorn with the deploy configuration on the test's database and a free loopback port."""
    port = free_port()
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    environment = clean_environment(
        DATABASE_URL=database_url, SECRET_KEY="gunicorn-test-" + "k" * 32, APP_ENV="development",
        MAIL_DIR=str(tmp_path / "mail"), BASE_URL=f"http://127.0.0.1:{port}", TRUSTED_PROXIES="1",
        RATELIMIT_ENABLED="false", GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(WORKERS),
        GUNICORN_ACCESS_LOG=str(access_log), GUNICORN_ERROR_LOG=str(error_log))
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", str(CONF), "wsgi:app"],
                               cwd=ROOT, env=environment)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            def healthy() -> bool:
                """Return True once the health page answers 200 (fail if gunicorn died)."""
                assert process.poll() is None, error_log.read_text()
                try:
                    return client.get("/api/v1/booking/health").status_code == 200
                except httpx.TransportError:
                    return False
            wait_until(healthy, "gunicorn to answer")
            wait_until(lambda: len(worker_pids(process.pid)) == WORKERS, "every worker")
            yield Gunicorn(process, client, port, access_log, error_log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
