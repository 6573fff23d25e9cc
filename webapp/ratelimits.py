"""Rate limits read from the configuration when a request needs them."""
from collections.abc import Callable

from flask import current_app

from webapp.extensions import limiter


def configured(name: str) -> Callable[[], str]:
    """Return a Flask-Limiter limit provider for config key `name` (see config.RATE_LIMITS)."""
    return lambda: current_app.config[name]


def token_lookup_limit():
    """Return the decorator limiting every page opened by a booking token, on one counter.

    Manage pages, the confirmation page and the widget's confirmation all count against
    MANAGE_LOOKUP_RATE_LIMIT together, so trying tokens on several pages gains nothing.
    """
    return limiter.shared_limit(configured("MANAGE_LOOKUP_RATE_LIMIT"), scope="token-lookup")
