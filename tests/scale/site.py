"""Two web servers and two workers over one PostgreSQL database and one Redis.

The fault suite's `Stack` (its clients, outbox and inbox helpers), with both gunicorns started
from deploy/gunicorn.conf.py, as an operator runs them, and a view of the site through either.
"""
import copy
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.faults.processes import ROOT, AppProcess, wait_for_port
from tests.faults.stack import Stack
from tests.integration.mail.support import free_port

#: no test here books a Whereby meeting: nothing listens at this provider address
NO_PROVIDER = "http://127.0.0.1:9"


@dataclass
class Server:
    """One gunicorn master (two workers) on its loopback port, with a client for it."""

    name: str
    port: int
    process: AppProcess
    http: httpx.Client | None = None


class OneDatabase:
    """Stands in for the fault suite's own cluster: hands out the one database made for the run."""

    def __init__(self, url: str):
        self.url = url

    def create_database(self, name: str) -> str:
        """Return the run's database (made by tests.services.fresh_postgres_database)."""
        return self.url


def configured_gunicorn(env: dict, port: int, log_path: Path) -> AppProcess:
    """Return gunicorn with deploy/gunicorn.conf.py and two workers on the port (not started)."""
    command = [sys.executable, "-m", "gunicorn", "--config",
               str(ROOT / "deploy" / "gunicorn.conf.py"), "wsgi:app"]
    return AppProcess(command, {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2",
                                "GUNICORN_GRACEFUL_TIMEOUT": "5"}, log_path)


class TwoServerSite(Stack):
    """Servers `a` and `b` (two gunicorn workers each) and two worker.py, on one database and Redis."""

    def __init__(self, tmp_path: Path, database_url: str, redis, **env):
        self.servers: list[Server] = []
        super().__init__(tmp_path, OneDatabase(database_url), redis, NO_PROVIDER, **env)
        self.start_worker()
        for server in self.servers:
            server.http = (self.http if server.port == self.port else
                           httpx.Client(base_url=f"http://127.0.0.1:{server.port}", timeout=30))
            for _ in range(4):  # both gunicorn workers import the app before the run starts
                server.http.get("/api/v1/booking/health")

    def start_web(self) -> AppProcess:
        """Start server a on `self.port` (BASE_URL points there) and server b on another port."""
        for name, port in (("a", self.port), ("b", free_port())):
            process = configured_gunicorn(self.env, port, self.tmp_path / f"web-{name}.log").start()
            wait_for_port(port, timeout=40, process=process.process)
            self.servers.append(Server(name, port, process))
        return self.servers[0].process

    def on(self, server: Server) -> "TwoServerSite":
        """This site as seen through `server`: every client helper of Stack talks to it."""
        view = copy.copy(self)
        view.port, view.http = server.port, server.http
        return view

    def close(self) -> None:
        """Stop server b, then everything Stack stops."""
        for server in self.servers[1:]:
            if server.http is not None:
                server.http.close()
            server.process.stop()
        super().close()
