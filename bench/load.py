"""A small closed-loop HTTP load generator on loopback: N threads, each one request at a time.

Raw sockets and pre-built requests keep the client's own cost low (gunicorn's sync workers close
the connection after each response, so every request is a new connection, as with wrk there).
Bounded by time and by a request count; loopback only.
"""
import argparse
import socket
import threading
import time
from dataclasses import dataclass


def load_parser(seconds: float, description: str | None = None) -> argparse.ArgumentParser:
    """Return a command-line parser with the --seconds and --connections of a load run."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seconds", type=float, default=seconds)
    parser.add_argument("--connections", type=int, default=16)
    return parser


@dataclass(frozen=True)
class Result:
    """What one run measured."""

    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        """Completed requests per second."""
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        """Return the latency below which `p` percent of requests finished, in milliseconds."""
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else float("nan")


def request_bytes(method: str, path: str, body: bytes = b"", content_type: str = "application/json",
                  headers: dict[str, str] | None = None) -> bytes:
    """Build one HTTP/1.1 request that asks the server to close the connection afterwards."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAccept-Encoding: gzip\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    if body:
        head += f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def status(port: int, payload: bytes) -> int:
    """Send one request, read the whole answer and return its status code (0: no answer)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(payload)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return int(chunks[0][9:12]) if chunks else 0


def _one(port: int, payload: bytes) -> bool:
    """Send one request and read the whole answer; True for a 2xx."""
    return 200 <= status(port, payload) < 300


def run(port: int, payloads: list[bytes], *, connections: int = 16, seconds: float = 5.0,
        max_requests: int = 100_000) -> Result:
    """Load `port` with `connections` threads cycling through `payloads` for `seconds`."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    counter = iter(range(max_requests))

    def worker() -> None:
        mine, bad = [], 0
        while time.perf_counter() < stop_at and (number := next(counter, None)) is not None:
            began = time.perf_counter()
            try:  # the n-th request overall sends payload n (unique while there are enough)
                ok = _one(port, payloads[number % len(payloads)])
            except OSError:
                ok = False
            mine.append(time.perf_counter() - began)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return Result(len(latencies), errors[0], elapsed, latencies)
