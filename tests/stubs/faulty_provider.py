"""A meeting provider that misbehaves on purpose: it hangs, or answers 500, or works (Whereby's shape).

The fault tests point WHEREBY_API_BASE_URL at it and switch `mode` while the app runs.
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANG, FAIL, OK = "hang", "fail", "ok"


class FaultyProvider:
    """A Whereby-shaped API on loopback whose answers follow `mode` (hang: never answers in time)."""

    def __init__(self, mode: str = OK, hang_seconds: float = 60.0):
        self.mode, self.hang_seconds = mode, hang_seconds
        self.calls: list[tuple[str, str]] = []
        self._stopped = threading.Event()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            """Answer each request as the provider's mode says."""

            def do_POST(self):  # noqa: N802 (http.server's naming)
                provider.answer(self)

            do_GET = do_DELETE = do_POST  # noqa: N815

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        """The base URL to configure."""
        return f"http://127.0.0.1:{self.server.server_port}"

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        """Hang, fail with 500, or create a room."""
        self.calls.append((handler.command, handler.path))
        length = int(handler.headers.get("Content-Length") or 0)
        body = json.loads(handler.rfile.read(length) or b"{}")
        if self.mode == HANG:
            self._stopped.wait(self.hang_seconds)
            return
        if self.mode == FAIL:
            return self._reply(handler, 500, {"error": "internal error"})
        room = uuid.uuid4().hex[:12]
        self._reply(handler, 201, {"meetingId": room, "roomUrl": f"https://whereby.example/{room}",
                                   "startDate": body.get("startDate") or "2030-01-01T00:00:00Z",
                                   "endDate": body.get("endDate")})

    @staticmethod
    def _reply(handler: BaseHTTPRequestHandler, status: int, body: dict) -> None:
        """Send a JSON answer."""
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def stop(self) -> None:
        """Release hanging requests and stop serving."""
        self._stopped.set()
        time.sleep(0.05)
        self.server.shutdown()
        self.server.server_close()
