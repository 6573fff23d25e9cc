"""Load a loopback port with wrk (1 thread, N connections), the load generator issue 14 names.

wrk is a C program on epoll: it costs the shared cores far less than `bench.load`'s threaded
Python client, so the servers get more of them, and ratios come out nearer the servers' own.
Debian: `apt-get install -y wrk`. `available()` tells whether it is installed.
"""
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

#: wrk's --latency lines, e.g. "     99%   12.34ms"
_PERCENTILE = re.compile(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run measured: the rate, the answers that were not 2xx/3xx or failed, percentiles."""

    requests: int
    errors: int
    rate: float
    percentiles_ms: dict[int, float]

    def percentile(self, p: float) -> float:
        """Return wrk's latency percentile `p` (50, 75, 90 or 99) in milliseconds."""
        return self.percentiles_ms.get(int(p), float("nan"))


def available() -> bool:
    """Tell whether wrk is installed."""
    return shutil.which("wrk") is not None


def _script(payload: bytes) -> str:
    """Return a wrk Lua script sending the method, path, headers and body of one raw HTTP request."""
    head, _, body = payload.partition(b"\r\n\r\n")
    request_line, *header_lines = head.decode().split("\r\n")
    method, path, _version = request_line.split(" ")
    lines = [f"wrk.method = {_lua(method)}", f"wrk.path = {_lua(path)}", f"wrk.body = {_lua(body.decode())}"]
    for line in header_lines:
        name, _, value = line.partition(": ")
        if name.lower() not in ("host", "content-length"):  # wrk writes these itself
            lines.append(f"wrk.headers[{_lua(name)}] = {_lua(value)}")
    return "\n".join(lines) + "\n"


def _lua(text: str) -> str:
    """Return `text` as a Lua string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def parse(output: str) -> WrkResult:
    """Return what wrk's --latency output reports."""
    requests = int(re.search(r"(\d+) requests in", output)[1])
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(failed[1]) if failed else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    percentiles = {int(p): float(value) * _UNIT_MS[unit] for p, value, unit in _PERCENTILE.findall(output)}
    return WrkResult(requests, errors, rate, percentiles)


def run(port: int, payload: bytes, *, connections: int = 16, seconds: float = 5.0) -> WrkResult:
    """Load 127.0.0.1:`port` with `payload` (raw HTTP bytes, as `bench.load.request_bytes` builds) for `seconds`."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(_script(payload))
        script.flush()
        output = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
                                 "-s", script.name, f"http://127.0.0.1:{port}"],
                                capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    return parse(output)
