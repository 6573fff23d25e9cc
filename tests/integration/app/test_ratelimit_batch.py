"""Our Limiter on Redis counts a request's fixed windows in one round trip before the view and one
after it, leaving the same answers and the same counters as Flask-Limiter's own calls."""
import uuid

import flask_limiter
import pytest
import redis.connection
from flask import Flask, request
from flask_limiter.util import get_remote_address
from redis import Redis

from tests.services import REDIS_URL, require
from webapp.extensions import Limiter
from webapp.ratelimit_batch import BatchedFixedWindow


@pytest.fixture
def prefix():
    """A key prefix of this test alone; its counters are deleted afterwards."""
    require(REDIS_URL, "Redis")
    prefix = f"test-batch-{uuid.uuid4().hex[:10]}"
    yield prefix
    connection = Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"LIMITS:LIMITER/{prefix}*"):
        connection.delete(key)


def _app(limiter_class, prefix: str) -> tuple[Flask, flask_limiter.Limiter]:
    """Return an app whose /book counts "2/minute;5/hour" per address and, when it answers 201,
    "3/minute;4/hour" per the X-For header (tested before, deducted after), on Redis."""
    app = Flask(__name__)
    app.config.update(RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
    limiter = limiter_class(key_func=get_remote_address)

    def book():
        return "", int(request.args.get("status", "201"))

    view = limiter.shared_limit("3/minute;4/hour", scope="recipient", key_func=lambda: request.headers["X-For"],
                                deduct_when=lambda response: response.status_code == 201)(book)
    app.add_url_rule("/book", view_func=limiter.limit("2/minute;5/hour")(view), methods=["POST"])
    limiter.init_app(app)
    return app, limiter


#: (address, recipient, status the view answers): breaches of both limits, refused and counted posts
POSTS = [("10.0.0.1", "a", 201), ("10.0.0.1", "a", 409), ("10.0.0.1", "a", 201), ("10.0.0.2", "a", 201),
         ("10.0.0.2", "a", 201), ("10.0.0.3", "a", 201), ("10.0.0.3", "b", 201), ("10.0.0.4", "b", 400)]


def _post_all(app) -> list[int]:
    """Make the POSTS; return the statuses."""
    client = app.test_client()
    return [client.post(f"/book?status={status}", headers={"X-For": recipient},
                        environ_base={"REMOTE_ADDR": address}).status_code
            for address, recipient, status in POSTS]


def _counters(prefix: str) -> dict[str, tuple[int, bool]]:
    """Return the counters under `prefix` (without it): value, and whether it expires."""
    connection = Redis.from_url(REDIS_URL)
    return {key.decode().replace(prefix, "", 1): (int(connection.get(key)), connection.ttl(key) > 0)
            for key in connection.scan_iter(f"LIMITS:LIMITER/{prefix}/*")}


def test_the_answers_and_counters_are_flask_limiters_own(prefix):
    ours, limiter = _app(Limiter, prefix + "-ours")
    theirs, _ = _app(flask_limiter.Limiter, prefix + "-theirs")
    assert isinstance(limiter._limiter, BatchedFixedWindow)
    statuses = _post_all(ours)
    assert statuses == _post_all(theirs) == [201, 409, 429, 201, 201, 429, 201, 400]
    assert _counters(prefix + "-ours") == _counters(prefix + "-theirs")
    assert len(_counters(prefix + "-ours")) == 12


def test_a_request_counts_in_one_round_trip_before_the_view_and_one_after(prefix, monkeypatch):
    app, _limiter = _app(Limiter, prefix)
    client = app.test_client()
    client.post("/book", headers={"X-For": "a"})  # the script is loaded
    sent = []
    original = redis.connection.AbstractConnection.send_packed_command
    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command",
                        lambda self, *args, **kwargs: sent.append(1) or original(self, *args, **kwargs))
    assert client.post("/book", headers={"X-For": "b"}).status_code == 201
    assert len(sent) == 2  # Flask-Limiter's own calls: 2 increments, 2 reads, 2 deductions
