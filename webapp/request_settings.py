"""The web layer's part of reading settings: at most once per request."""
from flask import Flask

from webapp.services.settings import start_reading_once, stop_reading_once


def _stop(_exc: BaseException | None) -> None:
    """End the request's read-once unit, whether or not the request failed."""
    stop_reading_once()


def init_app(app: Flask) -> None:
    """Open a read-once unit for the settings at each request's start, close it at its end."""
    app.before_request(start_reading_once)
    app.teardown_request(_stop)
