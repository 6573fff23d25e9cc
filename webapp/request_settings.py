"""The web layer's part of reading the stable configuration: its version at most once per request."""
from flask import Flask

from webapp.services import config_cache


def _stop(_exc: BaseException | None) -> None:
    """End the request's unit of work, whether or not the request failed."""
    config_cache.stop_unit()


def init_app(app: Flask) -> None:
    """Watch configuration changes; open a unit at each request's start, close it at its end."""
    config_cache.init_app(app)
    app.before_request(config_cache.start_unit)
    app.teardown_request(_stop)
