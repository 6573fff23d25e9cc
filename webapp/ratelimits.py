"""Rate limits read from the configuration when a request needs them."""
from collections.abc import Callable

from flask import current_app


def configured(name: str) -> Callable[[], str]:
    """Return a Flask-Limiter limit provider for config key `name` (see config.RATE_LIMITS)."""
    return lambda: current_app.config[name]
