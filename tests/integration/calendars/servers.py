"""Real servers for the calendar tests: Radicale (CalDAV) and a plain HTTP server for .ics feeds."""
import contextlib
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.services import wait_for_port

USER, PASSWORD = "owner", "app-password-1"


def free_port() -> int:
    """Return a loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def radicale_server(folder: Path):
    """Run Radicale on a free loopback port with htpasswd (plain) auth; yield its base URL."""
    (folder / "users").write_text(f"{USER}:{PASSWORD}\n")
    port = free_port()
    config = folder / "config"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {folder / 'users'}\nhtpasswd_encryption = plain\n"
        f"[storage]\nfilesystem_folder = {folder / 'collections'}\n"
        "[logging]\nlevel = warning\n")
    process = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_port(port, process=process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


class FeedServer:
    """An HTTP server on loopback serving one .ics body (or hanging, to play a slow source)."""

    def __init__(self):
        self.body = b""
        self.hang_seconds = 0.0
        self.requests = 0
        feed = self

        class Handler(BaseHTTPRequestHandler):
            """Answer every GET with the feed's body."""

            def do_GET(self):  # noqa: N802 (the stdlib's name)
                """Serve the feed (after the configured pause)."""
                feed.requests += 1
                time.sleep(feed.hang_seconds)
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar")
                self.send_header("Content-Length", str(len(feed.body)))
                self.end_headers()
                # the reader may have given up waiting: what a hanging source makes it do
                with contextlib.suppress(BrokenPipeError):
                    self.wfile.write(feed.body)

            def log_message(self, *args):
                """Keep test output quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/calendar.ics"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
