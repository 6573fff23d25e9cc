"""`flask serve` (what `make run` starts), as a real process: taken ports give messages, not tracebacks."""
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from webapp.embed.demo import start_demo
from webapp.services.settings import get_settings

ROOT = Path(__file__).resolve().parents[3]
STARTUP_SECONDS = 30
DEMO_LINE = re.compile(r"Widget demo on a partner origin: (http://localhost:(\d+)/)(.*)")


@pytest.fixture
def app_config() -> dict:
    """No partner configured yet, as on a fresh laptop."""
    return {"EMBED_ALLOWED_ORIGINS": []}


@contextmanager
def taken_port():
    """Yield a port something else is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def free_port() -> int:
    """Return a port nothing listens on (just now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_command(database_url: str, mail_dir: Path, *args: str, **env: str) -> subprocess.Popen:
    """Start `flask --app wsgi serve ARGS` on the test's database, in the project directory."""
    environment = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PORT", "DEMO_PORT")}
    environment.update(DATABASE_URL=database_url, MAIL_DIR=str(mail_dir), APP_ENV="development",
                       PYTHONUNBUFFERED="1", **env)
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "serve", *args],
                            cwd=ROOT, env=environment, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@contextmanager
def running(process: subprocess.Popen):
    """Yield the process, then stop it (killed if it does not stop within seconds)."""
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def get(url: str) -> tuple[int, str]:
    """GET `url`; return the status and the body."""
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


def wait_for(url: str, process: subprocess.Popen) -> tuple[int, str]:
    """GET `url` once the process serves it; fail if it exits or takes too long."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"serve exited: {process.communicate()}"
        try:
            return get(url)
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"nothing answered at {url} within {STARTUP_SECONDS}s")


def test_the_site_starts_when_the_demo_port_is_taken(app, database_url, tmp_path):
    port = free_port()
    with taken_port() as demo_port, running(
            serve_command(database_url, tmp_path / "mail", "--port", str(port),
                          DEMO_PORT=str(demo_port))) as process:
        status, page = wait_for(f"http://127.0.0.1:{port}/", process)
        assert status == 200 and "StudiocentOS" in page
        announced = [process.stdout.readline() for _ in range(2)]
        assert announced[0].startswith(f"StudiocentOS Booking on http://127.0.0.1:{port}")
        demo = DEMO_LINE.match(announced[1])
        assert demo, announced
        assert int(demo[2]) != demo_port and f"port {demo_port} is taken" in demo[3]
        status, partner = get(demo[1].replace("localhost", "127.0.0.1"))
        assert status == 200 and f'src="http://127.0.0.1:{port}/embed.js"' in partner


def test_a_taken_site_port_is_a_message_not_a_traceback(app, database_url, tmp_path):
    with taken_port() as port:
        process = serve_command(database_url, tmp_path / "mail", PORT=str(port))
        with running(process):
            out, err = process.communicate(timeout=STARTUP_SECONDS)
    assert process.returncode == 1
    assert "Traceback" not in err and "StudiocentOS Booking on" not in out
    assert f"Error: cannot serve on 127.0.0.1:{port}" in err and "make run PORT=" in err


def test_the_demo_moves_to_a_free_port_and_that_origin_is_allowed(app):
    with taken_port() as port:
        url = start_demo("http://127.0.0.1:5000", port)
    moved = int(url.rsplit(":", 1)[1].rstrip("/"))
    assert moved != port
    assert get(f"http://127.0.0.1:{moved}/")[0] == 200
    assert get_settings().embed_allowed_origins == [f"http://localhost:{moved}"]
