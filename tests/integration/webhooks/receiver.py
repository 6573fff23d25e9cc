"""A real webhook receiver on loopback: records every POST, can answer an error or be switched off."""
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.integration.mail.support import free_port


@dataclass(frozen=True)
class Received:
    """One POST as the receiver got it: path, headers (lower-case names) and the raw body."""

    path: str
    headers: dict
    body: bytes

    def header(self, name: str) -> str | None:
        """Return a header by case-insensitive name."""
        return self.headers.get(name.lower())


class Receiver:
    """An HTTP server on a fixed loopback port that can be stopped and started again."""

    def __init__(self):
        self.port = free_port()
        self.received: list[Received] = []
        #: what every POST is answered with
        self.status = 200
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """The URL endpoints are configured with."""
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> "Receiver":
        """Listen on the port (connections succeed from now on)."""
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening (connections are refused from now on)."""
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def events(self) -> list[str]:
        """Return the event type of every POST received, in order."""
        return [item.header("Webhook-Event") for item in self.received]

    def _handler(self):
        """Return a request handler class that records into this receiver."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            """Record the POST, answer with the receiver's status."""

            def do_POST(self):  # noqa: N802 (http.server's naming)
                """Record the request and answer."""
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append(Received(
                    self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                """Keep the test output quiet."""

        return Handler
