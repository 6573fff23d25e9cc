"""Fixtures of the fault suite: our own PostgreSQL cluster and Redis (so a test may stop them),
a provider that misbehaves, and a whole site per test; plus the run's table of results.

Every test module here marks its tests `faults` (pytest -m faults runs only them; -m "not faults" skips them).
FAULTS_REPORT=path writes the table of the run (injected, expected, seen, recovery) as Markdown.
"""
import os

import pytest

from tests.faults.processes import PostgresCluster, RedisServer
from tests.faults.stack import Stack
from tests.stubs.faulty_provider import FaultyProvider

_RESULTS: list[dict] = []


@pytest.fixture(scope="session")
def cluster():
    """A PostgreSQL cluster of the suite's own, on a free port."""
    server = PostgresCluster()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def redis_server():
    """A redis-server of the suite's own, on a free port."""
    server = RedisServer()
    yield server
    server.stop()


@pytest.fixture
def provider():
    """A Whereby-shaped provider whose mode the test switches (ok, hang, fail)."""
    stub = FaultyProvider()
    yield stub
    stub.stop()


@pytest.fixture
def stack(tmp_path, cluster, redis_server, provider):
    """The whole site on a fresh database; every process stopped afterwards."""
    if redis_server.process is None:
        redis_server.start()
    site = Stack(tmp_path, cluster, redis_server, provider.url)
    yield site
    site.close()
    if redis_server.process is None:  # a test that failed with Redis stopped
        redis_server.start()


@pytest.fixture
def record():
    """Return a function adding one row to the run's table."""
    def add(case: str, injected: str, expected: str, seen: str, recovery: str) -> None:
        _RESULTS.append(dict(case=case, injected=injected, expected=expected, seen=seen,
                             recovery=recovery))
    return add


def pytest_sessionfinish(session):
    """Write the table when FAULTS_REPORT names a file."""
    path = os.environ.get("FAULTS_REPORT")
    if not path or not _RESULTS:
        return
    lines = ["| case | injected | expected | seen | recovery |", "|---|---|---|---|---|"]
    lines += [f"| {r['case']} | {r['injected']} | {r['expected']} | {r['seen']} | {r['recovery']} |"
              for r in _RESULTS]
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")
