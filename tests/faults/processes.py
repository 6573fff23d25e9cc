"""The real processes a fault test drives: its own PostgreSQL cluster and Redis, gunicorn, worker.py.

Each can be stopped and started again on the same port, so a test injects an outage and
measures the recovery.
"""
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.integration.mail.support import free_port
from tests.services import REQUIRE_ENV, wait_for_port

ROOT = Path(__file__).resolve().parents[2]


def _postgres_bin() -> Path:
    """FAULTS_PG_BIN, else the newest /usr/lib/postgresql/<version>/bin (Debian's layout)."""
    if os.environ.get("FAULTS_PG_BIN"):
        return Path(os.environ["FAULTS_PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0)
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _postgres_bin()


def missing(what: str) -> None:
    """Skip the test for want of `what`, or fail it when services are required."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{what} (and {REQUIRE_ENV}=1)", pytrace=False)
    pytest.skip(what)




def stop_process(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """Terminate a process we started, then kill it if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class PostgresCluster:
    """A PostgreSQL cluster of our own (initdb in a temp dir, on a free port), stoppable."""

    def __init__(self):
        if not (PG_BIN / "initdb").exists():
            missing(f"PostgreSQL binaries not found in {PG_BIN} (set FAULTS_PG_BIN)")
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres and shutil.which("runuser") is None:
            missing("running as root without runuser to start PostgreSQL as postgres")
        self.directory = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        if self.as_postgres:
            shutil.chown(self.directory, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync")
        self.start()

    def _run(self, binary: str, *args: str) -> None:
        """Run a PostgreSQL tool (as the postgres user when we are root)."""
        command = [str(PG_BIN / binary), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    @property
    def url(self) -> str:
        """The server's URL (database `postgres`)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off")  # never synchronous_commit=off: an
        # immediate stop would then lose commits the app already answered for
        self._run("pg_ctl", "-D", str(self.data), "-o", options,
                  "-l", str(self.directory / "server.log"), "-w", "start")

    def stop(self) -> None:
        """Stop the server at once (open connections are cut)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def create_database(self, name: str) -> str:
        """Create a database and return its URL."""
        import psycopg

        with psycopg.connect(self.url.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + f"/{name}"

    def remove(self) -> None:
        """Stop the server (if running) and delete its files."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class RedisServer:
    """A private redis-server on a free port that a test may stop and start."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            missing("redis-server is not installed")
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        """The server's URL (database 0)."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start listening on the port."""
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL)
        wait_for_port(self.port, process=self.process)

    def stop(self) -> None:
        """Stop the server (connections are refused until `start`)."""
        if self.process is not None:
            stop_process(self.process)
            self.process = None


class AppProcess:
    """A process of the app (gunicorn or worker.py) with its environment and log file."""

    def __init__(self, command: list[str], env: dict, log_path: Path):
        self.command, self.env, self.log_path = command, env, log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> "AppProcess":
        """Start the process, appending to its log."""
        log = open(self.log_path, "ab")  # noqa: SIM115 (the child keeps it; closed below)
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        return self

    def kill(self) -> None:
        """SIGKILL the process (and its children): no cleanup, as a crash or the OOM killer."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        """Terminate the process group politely, then kill it."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        """The process's output so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def gunicorn(env: dict, port: int, log_path: Path, workers: int = 2) -> AppProcess:
    """Return gunicorn serving wsgi:app on the port (not started)."""
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
               f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "5", "wsgi:app"]
    return AppProcess(command, env, log_path)


def worker(env: dict, log_path: Path) -> AppProcess:
    """Return worker.py (not started)."""
    return AppProcess([sys.executable, str(ROOT / "worker.py")], env, log_path)
