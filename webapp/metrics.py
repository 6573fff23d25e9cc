"""Prometheus metrics at /metrics: requests, latency, bookings, the outbox and the workers.

Counters and the latency histogram live in each process. Under gunicorn with several
workers, `PROMETHEUS_MULTIPROC_DIR` (set by deploy/gunicorn.conf.py) makes prometheus-client
keep them in files there, and a scrape adds up every process's. The outbox and the workers
are read at scrape time (two queries, one Redis call), so every process answers the same.
Requests are labelled by their route template (`/manage/<token>`), never by the raw path.
"""
import hmac
import ipaddress
import os
from time import perf_counter

from flask import Flask, Response, abort, current_app, g, has_request_context, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import event, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from webapp.clock import now
from webapp.extensions import db
from webapp.models import Booking, OutboxMessage
from webapp.outbox.kinds import Kind, Status

#: the metrics each process counts (aggregated from files in multiprocess mode)
LIVE = CollectorRegistry()
HTTP_REQUESTS = Counter("booking_http_requests", "HTTP requests answered, by route template, method and status.",
                        ["route", "method", "status"], registry=LIVE)
HTTP_LATENCY = Histogram("booking_http_request_duration_seconds", "Time to answer a request, by route template.",
                         ["route", "method"], registry=LIVE,
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
BOOKINGS_CREATED = Counter("booking_bookings_created", "Bookings committed, by the channel that made them.",
                           ["channel"], registry=LIVE)

#: which blueprint books for which channel (anything else, such as a command, is "other")
CHANNELS = {"public": "site", "embed": "widget", "api": "api", "admin": "admin"}
#: methods labelled by name; any other (a client may send anything) is "other"
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
_NEW_BOOKINGS = "metrics_new_booking_channels"


def init_app(app: Flask) -> None:
    """Read the access settings, time every request and serve /metrics."""
    app.config.setdefault("METRICS_TOKEN", os.environ.get("METRICS_TOKEN") or None)
    app.config.setdefault("METRICS_ALLOW", os.environ.get("METRICS_ALLOW", ""))
    app.extensions["metrics_networks"] = parse_networks(app.config["METRICS_ALLOW"])
    app.before_request(_start_timer)
    app.after_request(_count_request)
    app.add_url_rule("/metrics", "metrics", metrics_view)
    for name, listener in (("after_flush", _note_new_bookings), ("after_commit", _count_new_bookings),
                           ("after_rollback", _forget_new_bookings)):
        if not event.contains(Session, name, listener):  # once per process, whatever the apps
            event.listen(Session, name, listener)


def parse_networks(setting: str | list) -> tuple:
    """Return the networks of a comma-separated CIDR list; a wrong entry stops the start."""
    items = setting.split(",") if isinstance(setting, str) else setting
    try:
        return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip())
    except ValueError as exc:
        raise ValueError(f"METRICS_ALLOW must list networks such as 10.0.0.0/8: {exc}") from None


def access_status(authorization: str | None, address: str | None, token: str | None,
                  networks: tuple) -> int:
    """Decide a scrape: 200, 401 (a token is expected or wrong) or 404 (not for this address).

    A right bearer token or an address in METRICS_ALLOW is let in. With neither setting,
    only loopback is; everyone else gets the same 404 as a page that does not exist.
    """
    scheme, _, given = (authorization or "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return 200
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        ip = None
    allowed = networks if (token or networks) else (ipaddress.ip_network("127.0.0.0/8"),
                                                    ipaddress.ip_network("::1/128"))
    if ip is not None and any(ip in network for network in allowed):
        return 200
    return 401 if token else 404


def metrics_view() -> Response:
    """Serve the metrics in Prometheus's text format to an allowed scraper."""
    status = access_status(request.headers.get("Authorization"), request.remote_addr,
                           current_app.config["METRICS_TOKEN"], current_app.extensions["metrics_networks"])
    if status == 404:
        abort(404)
    if status == 401:
        return Response("A metrics token is required.\n", 401, {"WWW-Authenticate": "Bearer"},
                        mimetype="text/plain")
    scraped = CollectorRegistry()
    scraped.register(OutboxCollector())
    scraped.register(WorkerCollector())
    return Response(generate_latest(live_registry()) + generate_latest(scraped), mimetype=CONTENT_TYPE_LATEST)


def live_registry() -> CollectorRegistry:
    """Return this process's counters, or every process's in multiprocess mode."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return LIVE
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def route_label() -> str:
    """Return the request's route template; unmatched paths share one label (never the path)."""
    rule = request.url_rule
    return rule.rule if rule is not None else "unmatched"


def _start_timer() -> None:
    """Note when the request began."""
    g.metrics_started = perf_counter()


#: the labelled children already made, by labels (prometheus-client's `labels()` locks and checks each time)
_counters: dict[tuple[str, str, int], object] = {}
_timers: dict[tuple[str, str], object] = {}


def _count_request(response: Response) -> Response:
    """Count the answered request and time it."""
    method = request.method
    if method not in METHODS:
        method = "other"
    route = route_label()
    key = (route, method, response.status_code)
    counter = _counters.get(key)
    if counter is None:
        counter = _counters[key] = HTTP_REQUESTS.labels(route, method, str(response.status_code))
    counter.inc()
    started = g.get("metrics_started")
    if started is not None:
        timer = _timers.get(key[:2])
        if timer is None:
            timer = _timers[key[:2]] = HTTP_LATENCY.labels(route, method)
        timer.observe(perf_counter() - started)
    return response


def _booking_channel() -> str:
    """Return the channel of the current request (or "other" outside one)."""
    return CHANNELS.get(request.blueprint or "", "other") if has_request_context() else "other"


def _note_new_bookings(session: Session, _context) -> None:
    """Remember the bookings this flush inserted, to count them if the transaction commits."""
    note_new_bookings(session, sum(isinstance(item, Booking) for item in session.new))


def note_new_bookings(session: Session, added: int) -> None:
    """Remember `added` bookings inserted in this transaction, to count them if it commits."""
    if added:
        session.info.setdefault(_NEW_BOOKINGS, []).extend([_booking_channel()] * added)


def _count_new_bookings(session: Session) -> None:
    """Count the bookings of a committed transaction."""
    for channel in session.info.pop(_NEW_BOOKINGS, []):
        BOOKINGS_CREATED.labels(channel).inc()


def _forget_new_bookings(session: Session) -> None:
    """Forget the bookings of a rolled-back transaction."""
    session.info.pop(_NEW_BOOKINGS, None)


class OutboxCollector:
    """The outbox as the database has it now: rows by kind and status, depth, oldest wait."""

    def collect(self):
        """Yield the outbox gauges (two queries), or database_up 0 when it does not answer."""
        up = GaugeMetricFamily("booking_database_up", "1 when the database answered the scrape's queries.")
        try:
            counts = db.session.execute(select(OutboxMessage.kind, OutboxMessage.status, func.count())
                                        .group_by(OutboxMessage.kind, OutboxMessage.status)).all()
            instant = now()
            waiting, oldest = db.session.execute(
                select(func.count(), func.min(OutboxMessage.due_at))
                .where(OutboxMessage.status == Status.PENDING, OutboxMessage.due_at <= instant)).one()
        except SQLAlchemyError:
            db.session.rollback()
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        rows = GaugeMetricFamily(
            "booking_outbox_messages",
            "Outbox rows by kind and status: sent rows are deliveries, failed rows gave up.",
            labels=["kind", "status"])
        # Every known kind and status, zeros included: an alert on "failed went up" then also
        # sees the first failure of a kind (a series that appears at 1 has not "gone up").
        found = {(kind, status): count for kind, status, count in counts}
        known = {(kind.value, status.value): 0 for kind in Kind for status in Status}
        for (kind, status), count in sorted({**known, **found}.items()):
            rows.add_metric([kind, status], count)
        yield rows
        sending = sum(count for _kind, status, count in counts if status == Status.SENDING)
        yield GaugeMetricFamily("booking_outbox_depth", "Outbox rows due and not yet done (pending or sending).",
                                value=waiting + sending)
        age = (instant - oldest).total_seconds() if oldest is not None else 0
        yield GaugeMetricFamily("booking_outbox_oldest_pending_age_seconds",
                                "How long the oldest due pending row has waited (0 when none waits).",
                                value=max(age, 0))


class WorkerCollector:
    """The RQ workers' heartbeats, when jobs go through Redis."""

    def collect(self):
        """Yield redis_up, the live worker count and each worker's last heartbeat."""
        url = current_app.config.get("REDIS_URL")
        if not url:
            return
        import redis

        from webapp.heartbeats import worker_heartbeats

        up = GaugeMetricFamily("booking_redis_up", "1 when Redis answered the scrape.")
        try:
            heartbeats = worker_heartbeats(url)
        except (redis.RedisError, OSError):
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        instant = now()
        yield GaugeMetricFamily("booking_workers_live", "Workers whose last heartbeat is recent.",
                                value=sum(beat.is_live(instant) for beat in heartbeats))
        last = GaugeMetricFamily("booking_worker_last_heartbeat_timestamp_seconds",
                                 "When each registered worker last beat (Unix time).", labels=["worker"])
        for beat in heartbeats:
            if beat.last_heartbeat is not None:
                last.add_metric([beat.name], beat.last_heartbeat.timestamp())
        yield last
