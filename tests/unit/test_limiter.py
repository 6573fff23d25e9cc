"""Our Limiter: its manager parses once yet follows changed limits, new exemptions and bad strings; each app
starts with its own storage alive."""
import flask_limiter.wrappers
from flask import Flask, current_app
from flask_limiter.util import get_remote_address

from webapp.extensions import Limiter
from webapp.ratelimit_manager import RememberingLimitManager


def _limited_app():
    """Return an app whose /counted route is limited by config key LIMIT, its limiter and the bare view."""
    app = Flask(__name__)
    app.config.update(LIMIT="2/minute", RATELIMIT_STORAGE_URI="memory://")
    limiter = Limiter(key_func=get_remote_address)

    def counted():
        return "ok"

    app.add_url_rule("/counted", view_func=limiter.limit(lambda: current_app.config["LIMIT"])(counted))
    limiter.init_app(app)
    return app, limiter, counted


def _statuses(app, times: int) -> list[int]:
    """Request /counted `times` times; return the status codes."""
    client = app.test_client()
    return [client.get("/counted").status_code for _ in range(times)]


def test_a_route_limit_string_is_parsed_once(monkeypatch):
    app, limiter, _view = _limited_app()
    assert isinstance(limiter.limit_manager, RememberingLimitManager)
    parsed = []
    original = flask_limiter.wrappers.parse_many
    monkeypatch.setattr(flask_limiter.wrappers, "parse_many", lambda text: parsed.append(text) or original(text))
    assert _statuses(app, 3) == [200, 200, 429]
    assert parsed == ["2/minute"]


def test_a_changed_limit_applies_at_once():
    app, _limiter, _view = _limited_app()
    assert _statuses(app, 3) == [200, 200, 429]
    app.config["LIMIT"] = "4/minute"
    assert _statuses(app, 3) == [200, 200, 200]


def test_an_exemption_added_after_requests_is_honoured():
    app, limiter, view = _limited_app()
    assert _statuses(app, 3) == [200, 200, 429]
    limiter.exempt(view)
    assert _statuses(app, 2) == [200, 200]


def test_an_invalid_limit_is_logged_on_every_request(caplog):
    app, _limiter, _view = _limited_app()
    app.config["LIMIT"] = "often"
    assert _statuses(app, 3) == [200, 200, 200]
    assert sum("failed to load ratelimit" in record.getMessage() for record in caplog.records) == 3


def test_an_app_counts_on_its_storage_after_another_app_found_its_own_down():
    limiter = Limiter(key_func=get_remote_address)
    counted = limiter.limit("2/minute")(lambda: "ok")
    down, up = Flask("down"), Flask("up")
    down.config.update(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
                       RATELIMIT_IN_MEMORY_FALLBACK="60/minute",
                       RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 1})
    up.config.update(RATELIMIT_STORAGE_URI="memory://")
    for app in (down, up):
        app.add_url_rule("/counted", "counted", counted)
    limiter.init_app(down)
    assert _statuses(down, 1) == [200] and limiter._storage_dead
    limiter.init_app(up)
    assert _statuses(up, 3) == [200, 200, 429]
