"""gunicorn settings for the web processes, every value overridable from the environment.

    gunicorn --config deploy/gunicorn.conf.py wsgi:app

`kill -HUP <master pid>` (`systemctl reload booking-web`) re-reads this file and the code,
starts new workers and lets the old ones finish their requests: a graceful reload. The
access log never holds a query string, a manage or confirmation token, a booking uid, a
cookie or a whole client address: they are personal data or keys to it.
"""
import ipaddress
import multiprocessing
import os
import re
import shutil
import tempfile
from pathlib import Path

from gunicorn.glogging import Logger


def _int_env(name: str, default: int) -> int:
    """Read an integer setting from the environment."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def default_workers(cores: int) -> int:
    """Two processes per core plus one, at most 8: the app waits on its database, not the CPU."""
    return min(2 * cores + 1, 8)


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = _int_env("WEB_CONCURRENCY", default_workers(multiprocessing.cpu_count()))
threads = _int_env("GUNICORN_THREADS", 1)
# A request that takes longer than this is stuck (the slowest page does six queries).
timeout = _int_env("GUNICORN_TIMEOUT", 30)
# On reload and stop, workers get this long to finish the requests they are serving.
graceful_timeout = _int_env("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int_env("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak never grows; the jitter staggers them.
max_requests = _int_env("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int_env("GUNICORN_MAX_REQUESTS_JITTER", 100)
# No preloading: each worker creates the app after the fork (no database connection or job
# thread is shared across a fork), and HUP then loads the new code.
preload_app = False
# Addresses of the reverse proxies allowed to say the request came over HTTPS. The app itself
# trusts X-Forwarded-For/-Host from TRUSTED_PROXIES hops (werkzeug's ProxyFix).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Worker heartbeats on a memory file system when there is one (containers' /tmp may be a disk).
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or (
    "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None)
proc_name = "booking-web"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Only the atoms SafeAccessLogger fills: address network, method, path, status, size, time.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%({x-request-id}i)s"'

#: path prefixes whose next segment is a secret (manage token, confirmation token, uid)
SECRET_SEGMENT = re.compile(
    r"^(/manage/|/booking/|/embed/[^/]+/booking/|/api/v1/booking/bookings/)(?!lost(?:/|$))[^/]+")
REDACTED = "[redacted]"
#: request headers that may be logged (everything else may carry a cookie or a token)
LOGGED_HEADERS = ("x-request-id",)


def redact_path(path: str | None) -> str:
    """Return the path with its secret segment replaced (no query string ever reaches here)."""
    return SECRET_SEGMENT.sub(lambda match: match.group(1) + REDACTED, path or "-")


def client_network(address: str | None) -> str:
    """Return the client's network, not the client: /24 for IPv4, /48 for IPv6."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "-"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


class SafeAccessLogger(Logger):
    """gunicorn's logger whose access lines carry no secret and no personal data."""

    def atoms(self, resp, req, environ, request_time):
        """Return only the safe atoms; any other atom in a format string logs as '-'."""
        full = super().atoms(resp, req, environ, request_time)
        safe = {key: full[key] for key in ("t", "s", "m", "H", "b", "B", "T", "D", "M", "L", "p")}
        path = redact_path(environ.get("PATH_INFO"))
        safe.update(h=client_network(environ.get("REMOTE_ADDR")), U=path,
                    r=f"{full['m']} {path} {full['H']}", q="-", f="-", a="-", u="-", l="-")
        safe.update({f"{{{name}}}i": full.get(f"{{{name}}}i", "-") for name in LOGGED_HEADERS})
        return safe


logger_class = SafeAccessLogger


#: the metrics folder this master made (removed at exit); None when the environment named one
_own_metrics_dir: str | None = None


def on_starting(server):
    """Give the workers one folder for their metrics, so /metrics adds up every process.

    prometheus-client's multiprocess mode (webapp/metrics.py) keeps each worker's counters in
    PROMETHEUS_MULTIPROC_DIR. A folder named in the environment is emptied (an earlier run's
    counts would add to this one's); without one, the master makes a fresh one. Workers
    inherit the variable at fork, also after a HUP reload, so counts survive reloads.
    """
    global _own_metrics_dir
    named = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if named:
        for stale in Path(named).glob("*.db"):
            stale.unlink()
        return
    _own_metrics_dir = tempfile.mkdtemp(prefix="booking-metrics-", dir=worker_tmp_dir)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _own_metrics_dir


def child_exit(server, worker):
    """Tell prometheus-client a worker is gone, so its per-process gauges stop counting."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the metrics folder this master made."""
    if _own_metrics_dir:
        shutil.rmtree(_own_metrics_dir, ignore_errors=True)
