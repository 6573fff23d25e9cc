"""Reach the real PostgreSQL and Redis the tests need; skip without them unless required."""
import os
import socket
import subprocess
import time
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

#: set by .ci/run: a missing service fails the run instead of skipping tests
REQUIRE_ENV = "BOOKING_TESTS_REQUIRE_SERVICES"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _reachable(url: str) -> bool:
    """Return True if something listens at the URL's host and port."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=1):
            return True
    except OSError:
        return False


def require(url: str, name: str) -> None:
    """Skip the test if the service is down, or fail it when services are required."""
    if _reachable(url):
        return
    message = f"{name} is not reachable at {url}"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{message} and {REQUIRE_ENV}=1", pytrace=False)
    pytest.skip(message)


@contextmanager
def fresh_postgres_database():
    """Create an empty PostgreSQL database for one test run and drop it afterwards."""
    require(POSTGRES_URL, "PostgreSQL")
    import psycopg

    admin_dsn = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    name = f"booking_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for_port(port: int, timeout: float = 20.0, process: subprocess.Popen | None = None) -> None:
    """Wait until something accepts connections on the loopback port."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(
                    f"process exited with {process.returncode} before listening") from None
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing listens on port {port}") from None
            time.sleep(0.05)
