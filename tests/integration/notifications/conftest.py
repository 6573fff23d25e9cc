"""Fixtures: a real SMTP server, real Redis, and a real worker process (worker.py)."""
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from redis import Redis

from tests.integration.mail.support import free_port
from tests.integration.notifications.support import ADMIN
from tests.services import REDIS_URL, require, wait_for_port

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def redis_url():
    """The shared test Redis (skips without it, fails in CI)."""
    require(REDIS_URL, "Redis")
    return REDIS_URL


@pytest.fixture
def queue_name(redis_url):
    """A queue name of this test alone, deleted afterwards, so parallel runs never collide."""
    name = f"booking-test-{uuid.uuid4().hex[:10]}"
    yield name
    from rq import Queue

    Queue(name, connection=Redis.from_url(redis_url)).delete(delete_jobs=True)


@pytest.fixture
def app_config(redis_url, queue_name, mailbox):
    """The test app enqueues on this test's queue and mails this test's SMTP server."""
    return {"REDIS_URL": redis_url, "RQ_QUEUE": queue_name, "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": mailbox.port, "MAIL_USE_TLS": False, "ADMIN_EMAIL": ADMIN}


@pytest.fixture
def start_worker(app, tmp_path):
    """Return a function starting `worker.py` on the app's database, queue and SMTP port."""
    processes = []

    def start(**env_overrides) -> subprocess.Popen:
        config = app.config
        env = {**os.environ, "PYTHONPATH": str(ROOT), "APP_ENV": "test",
               "SECRET_KEY": config["SECRET_KEY"], "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
               "REDIS_URL": config["REDIS_URL"], "RQ_QUEUE": config["RQ_QUEUE"],
               "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(config["MAIL_PORT"]),
               "MAIL_USE_TLS": "0", "SENDGRID_API_KEY": "", "ADMIN_EMAIL": config["ADMIN_EMAIL"],
               "BASE_URL": config["BASE_URL"], "BOOKING_TIMEZONE": config["BOOKING_TIMEZONE"],
               "MAIL_DIR": str(tmp_path / "worker-mail"), "SWEEP_INTERVAL_SECONDS": "1",
               "OUTBOX_RETRY_BASE_SECONDS": "1", "RATELIMIT_STORAGE_URI": "memory://",
               **env_overrides}
        log = open(tmp_path / f"worker-{len(processes)}.log", "wb")  # noqa: SIM115 (closed at teardown)
        process = subprocess.Popen([sys.executable, str(ROOT / "worker.py")], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        processes.append((process, log))
        return process

    yield start
    for process, log in processes:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def flushable_redis():
    """Yield (url, flush) for a Redis this test may wipe without touching anyone else's keys.

    A private redis-server when the binary is installed (flush = FLUSHALL); otherwise the
    shared server's database 15, kept for this test (flush = FLUSHDB of that database).
    """
    binary = shutil.which("redis-server")
    if binary is None:
        require(REDIS_URL, "Redis")
        url = REDIS_URL.rsplit("/", 1)[0] + "/15"
        yield url, Redis.from_url(url).flushdb
        return
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        wait_for_port(port, timeout=10, process=process)
    except (RuntimeError, TimeoutError):
        process.kill()
        raise
    url = f"redis://127.0.0.1:{port}/0"
    yield url, Redis.from_url(url).flushall
    process.terminate()
    process.wait(10)

