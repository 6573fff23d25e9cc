"""Flask-Limiter's limit manager, remembering what a route's exemptions and limit strings resolve to.

On every decorated request Flask-Limiter 3.x works out the route's exemption scope twice (from
the view's qualified name, the blueprint and its ancestors) and parses each limit string of the
route anew into fresh `Limit` objects: ~20 µs that give the same answer every time. This manager
keeps both answers: exemption scopes per app, endpoint and blueprint (routes and blueprints are
fixed once an app serves), decorated limits per callable and the strings their providers return
now (a changed configuration value is a new key). Adding a limit or an exemption forgets both.
"""
import weakref

import flask
from flask_limiter.manager import LimitManager
from flask_limiter.wrappers import Limit
from limits import parse_many
from werkzeug.local import LocalProxy

#: distinct (callable, limit strings) pairs kept before all are dropped: a few per decorated view
KEPT_LIMITS = 512


def _parses(text: str | None) -> bool:
    """Tell whether a provided limit string is empty or valid (an invalid one is logged by each lookup)."""
    if not text:
        return True
    try:
        parse_many(text)
    except ValueError:
        return False
    return True


class RememberingLimitManager(LimitManager):
    """LimitManager that answers `exemption_scope` and `decorated_limits` from memory after the first time."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._forget()

    def _forget(self) -> None:
        """Drop every remembered answer (limits or exemptions changed)."""
        self._scopes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._limits: dict[tuple, list[Limit]] = {}

    def add_decorated_limit(self, route, limit, override=False) -> None:
        """Add a route's limit and forget what limits resolved to."""
        super().add_decorated_limit(route, limit, override)
        self._forget()

    def add_route_exemption(self, route, scope) -> None:
        """Exempt a route and forget what exemptions resolved to."""
        super().add_route_exemption(route, scope)
        self._forget()

    def add_blueprint_exemption(self, blueprint, scope) -> None:
        """Exempt a blueprint and forget what exemptions resolved to."""
        super().add_blueprint_exemption(blueprint, scope)
        self._forget()

    def exemption_scope(self, app: flask.Flask, endpoint: str | None, blueprint: str | None):
        """Return the exemptions of a route in `app`, worked out once per endpoint and blueprint."""
        served = app._get_current_object() if isinstance(app, LocalProxy) else app  # it gets current_app
        scopes = self._scopes.get(served)
        if scopes is None:
            scopes = self._scopes.setdefault(served, {})
        found = scopes.get((endpoint, blueprint))
        if found is None:
            found = scopes[endpoint, blueprint] = super().exemption_scope(app, endpoint, blueprint)
        return found

    def decorated_limits(self, callable_name: str) -> list[Limit]:
        """Return the limits decorating a callable, parsed once per set of provided limit strings."""
        texts = tuple(group.limit_provider() if callable(group.limit_provider) else group.limit_provider
                      for group in self._decorated_limits.get(callable_name, ()))
        found = self._limits.get((callable_name, texts))
        if found is None:
            found = super().decorated_limits(callable_name)
            if all(_parses(text) for text in texts):  # a string that fails is logged on every lookup, as before
                if len(self._limits) >= KEPT_LIMITS:
                    self._limits.clear()
                self._limits[callable_name, texts] = found
        return list(found)
