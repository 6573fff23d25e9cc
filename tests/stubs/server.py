"""A local HTTP server that stands in for a provider: routes, checks, recording, faults.

Subclasses declare `routes` as (METHOD, path regex, handler name). A handler gets a
`StubRequest` and returns a `Reply`; it raises `Violation` when the request deviates from
the provider's documented API. The server answers a violation with 400 and a note, and
keeps it in `violations` so a test (or its fixture) can assert none happened.
"""
from __future__ import annotations

import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit


class Violation(Exception):
    """The request does not follow the provider's documented API."""


@dataclass
class Reply:
    """What the stub answers: a status, a JSON body (or none) and headers."""

    status: int
    body: object = None
    headers: dict = field(default_factory=dict)


@dataclass
class StubRequest:
    """One request as received; `params` holds the route's unquoted path parameters."""

    method: str
    path: str
    query: dict
    headers: dict
    raw: bytes
    params: dict = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """Return a header by case-insensitive name."""
        return self.headers.get(name.lower())

    def json(self) -> dict:
        """Parse a JSON object body, insisting on the JSON content type."""
        content_type = (self.header("content-type") or "").split(";")[0].strip()
        if content_type != "application/json":
            raise Violation(f"Content-Type must be application/json, got {content_type!r}")
        try:
            body = json.loads(self.raw or b"null")
        except ValueError as exc:
            raise Violation(f"body is not JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise Violation("body must be a JSON object")
        return body

    def form(self) -> dict:
        """Parse a form body, insisting on the form content type; one value per name."""
        content_type = (self.header("content-type") or "").split(";")[0].strip()
        if content_type != "application/x-www-form-urlencoded":
            raise Violation(f"Content-Type must be application/x-www-form-urlencoded, got {content_type!r}")
        return {k: v[-1] for k, v in parse_qs(self.raw.decode(), keep_blank_values=True).items()}


class StubServer:
    """Threaded HTTP server on 127.0.0.1 and an ephemeral port; use as a context manager."""

    #: (METHOD, path regex with named groups, handler method name)
    routes: tuple = ()
    #: whether every route needs `Authorization: Bearer <one of tokens>`
    bearer_auth = True

    def __init__(self):
        self.tokens: set[str] = set()
        self.requests: list[StubRequest] = []
        self.violations: list[str] = []
        self._faults: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._compiled = [(m, re.compile(p + r"\Z"), h) for m, p, h in self.routes]
        self._httpd: ThreadingHTTPServer | None = None

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> StubServer:
        """Start serving in a daemon thread."""
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self) -> str:
        """Base URL, e.g. http://127.0.0.1:54321 (no trailing slash)."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    # -- test controls ---------------------------------------------------------------

    def fail_next(self, status: int, times: int = 1, *, retry_after: int | None = None, body=None):
        """Answer the next `times` requests with `status` (e.g. 401, 429 with Retry-After, 500)."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        reply = Reply(status, body if body is not None else self.error_body(status, "injected"), headers)
        with self._lock:
            self._faults.extend([reply] * times)

    def calls(self, method: str | None = None) -> list[StubRequest]:
        """The requests received, optionally only those of one method."""
        return [r for r in self.requests if method is None or r.method == method]

    def assert_clean(self) -> None:
        """Fail if any request deviated from the documented API."""
        assert not self.violations, "requests broke the provider's API:\n" + "\n".join(self.violations)

    # -- for subclasses --------------------------------------------------------------

    def error_body(self, status: int, message: str):
        """The provider's error shape; subclasses override."""
        return {"error": message}

    def require_bearer(self, req: StubRequest, tokens) -> Reply | None:
        """Check `Authorization: Bearer <token>`; a well-formed unknown token gets the 401."""
        value = req.header("authorization") or ""
        scheme, _, token = value.partition(" ")
        if scheme != "Bearer" or not token:
            raise Violation(f"Authorization must be 'Bearer <token>', got {value!r}")
        if token not in tokens:
            return Reply(401, self.error_body(401, "invalid or expired access token"))
        return None

    # -- dispatch ------------------------------------------------------------------

    def handle(self, req: StubRequest) -> Reply:
        with self._lock:
            self.requests.append(req)
            fault = self._faults.popleft() if self._faults else None
        if fault:
            return fault
        try:
            handler = self._route(req)
            denied = self.require_bearer(req, self.tokens) if self.bearer_auth else None
            return denied or handler(req)
        except Violation as exc:
            note = f"{req.method} {req.path}: {exc}"
            with self._lock:
                self.violations.append(note)
            return Reply(400, self.error_body(400, f"stub: {exc}"))

    def _route(self, req: StubRequest):
        known_path = False
        for method, pattern, name in self._compiled:
            match = pattern.match(req.path)
            if match:
                known_path = True
                if method == req.method:
                    req.params = {k: unquote(v) for k, v in match.groupdict().items()}
                    return getattr(self, name)
        raise Violation("method not allowed here" if known_path else "no such endpoint")


class ResourceStub(StubServer):
    """A provider API that keeps meetings by id, with the shared read and delete handlers."""

    def __init__(self, token: str):
        super().__init__()
        self.tokens = {token}
        self.meetings: dict[str, dict] = {}

    def get_meeting(self, req):
        meeting = self.meetings.get(req.params["meeting"])
        return Reply(200, meeting) if meeting else self.missing(req)

    def delete_meeting(self, req):
        if self.meetings.pop(req.params["meeting"], None) is None:
            return self.missing(req)
        return Reply(204)

    def missing(self, req) -> Reply:
        """The provider's 404 for an unknown meeting; subclasses may word it their way."""
        return Reply(404, self.error_body(404, "Not found"))


def _handler_for(stub: StubServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self):
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            req = StubRequest(
                method=self.command,
                path=parts.path,
                query={k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
                headers={k.lower(): v for k, v in self.headers.items()},
                raw=self.rfile.read(length) if length else b"",
            )
            reply = stub.handle(req)
            payload = b"" if reply.body is None else json.dumps(reply.body).encode()
            self.send_response(reply.status)
            if payload:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        def log_message(self, *args):  # keep test output quiet
            pass

    return Handler
