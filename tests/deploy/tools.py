"""Find the deploy/ files and the external checkers (skipping a test when one is missing)."""
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def require_tool(name: str) -> str:
    """Return the path of the command `name` (also looked up beside this Python), or skip."""
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        pytest.skip(f"{name} is not installed (.ci/run installs it)")
    return found


def run(*command: str, **kwargs) -> subprocess.CompletedProcess:
    """Run a checker with a time limit; return its result (never raises on failure)."""
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, **kwargs)


def free_port() -> int:
    """Return a loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environment(**overrides: str) -> dict:
    """Return this process's environment without the app's deployment settings, plus `overrides`."""
    dropped = {"REDIS_URL", "RATELIMIT_STORAGE_URI", "WEB_CONCURRENCY", "GUNICORN_BIND", "PORT"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(overrides)
    return environment


def wait_until(predicate, what: str, seconds: float = 60):
    """Poll `predicate` until it returns something true; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def worker_pids(master: int) -> set[int]:
    """Return the pids of the processes whose parent is `master` (gunicorn's workers)."""
    pids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == master:
            pids.add(int(stat.parent.name))
    return pids
