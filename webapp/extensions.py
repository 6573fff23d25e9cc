"""Unbound Flask extensions, bound to the app in create_app."""
from collections import defaultdict

import flask_limiter
from authlib.integrations.flask_client import OAuth
from flask import Flask
from flask.globals import request_ctx
from flask_limiter.extension import LimiterContext
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from webapp import (
    ratelimit_batch,
    ratelimit_storage,  # noqa: F401  (memory:// without a timer thread per 10 ms)
)
from webapp.ratelimit_manager import RememberingLimitManager

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter, minus its before-request pass on routes that have nothing to count.

    Every limit here decorates a view, and decorated views are checked by their decorator, not
    before the request; so the before-request pass has work only when limits apply to every
    route (default, application, blueprint or meta limits) or while the storage is down (the
    in-memory fallback limits then count every route). Otherwise it is skipped: ~60-100 µs.
    Its limit manager remembers what each route's exemptions and limit strings resolve to, and
    its per-request context is found with one lookup of the request instead of two per use.
    On a plain Redis storage with fixed windows, a request's counts (before the view, then its
    deductions after it) each go to Redis in one round trip (`ratelimit_batch`).
    """

    def __init__(self, *args, app: Flask | None = None, **kwargs) -> None:
        """Create the limiter with a RememberingLimitManager in place of Flask-Limiter's own."""
        super().__init__(*args, **kwargs)
        own = self.limit_manager
        self.limit_manager = RememberingLimitManager(
            application_limits=own._application_limits, default_limits=own._default_limits,
            decorated_limits=own._decorated_limits, blueprint_limits=own._blueprint_limits,
            route_exemptions=own._route_exemptions, blueprint_exemptions=own._blueprint_exemptions)
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Bind to `app` and the storage it names, which nothing has found down yet (another app's may be)."""
        self._storage_dead = False
        super().init_app(app)
        if ratelimit_batch.batches(self._limiter, self._storage):
            self._limiter = ratelimit_batch.BatchedFixedWindow(self._storage)

    @property
    def context(self) -> LimiterContext:
        """Return this request's limiter state, where Flask-Limiter keeps it (read ~7 times a request)."""
        ctx = request_ctx._get_current_object()
        try:
            contexts = ctx._limiter_request_context
        except AttributeError:
            contexts = ctx._limiter_request_context = defaultdict(LimiterContext)
        return contexts[self]

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        """Check the request's limits, unless this is the before-request pass with nothing to check.

        A decorated view's limits on Redis: Flask-Limiter's pass runs once recording its counts,
        one script runs them; only if one is exceeded (or Redis failed) its pass runs again,
        answered from the script, so its breach handling and its fallback are its own.
        """
        if in_middleware and not self._storage_dead and not self._route_independent_limits():
            return
        if in_middleware or not self._batching():
            return super()._check_request_limit(callable_name, in_middleware)
        seen = list(self.context.seen_limits)
        check = super()._check_request_limit
        calls = ratelimit_batch.recorded(lambda: check(callable_name, in_middleware))
        if not calls or not self._batching():  # nothing to count, or the storage failed meanwhile
            return None
        try:
            answers = self._limiter.counts(calls, stop_at_exceeded=True)  # the replay counts what follows
        except Exception as error:  # Flask-Limiter's pass meets it at its first count: its fallback follows
            answers = [error]
        if answers != [True] * len(calls):
            self.context.seen_limits.clear()
            self.context.seen_limits.update(seen)
            ratelimit_batch.replayed(answers, lambda: check(callable_name, in_middleware))
        return None

    def _Limiter__check_conditional_deductions(self, response) -> None:
        """Deduct the limits the response asks for (`deduct_when`), in one round trip when batching."""
        deduct = super()._Limiter__check_conditional_deductions
        if not self._batching():
            return deduct(response)
        calls = ratelimit_batch.recorded(lambda: deduct(response))
        if calls:
            try:
                self._limiter.counts(calls, stop_at_exceeded=False)
            except Exception:
                if not self._swallow_errors:
                    raise
                self.logger.exception("Failed to deduct rate limit. Swallowing error")
        return None

    def _batching(self) -> bool:
        """Tell whether this request's counts go to Redis in one script (the storage is not down)."""
        return not self._storage_dead and isinstance(self._limiter, ratelimit_batch.BatchedFixedWindow)

    def _route_independent_limits(self) -> bool:
        """Tell whether any limit applies beyond the decorated views."""
        manager = self.limit_manager
        return bool(manager._default_limits or manager._application_limits or manager._blueprint_limits
                    or self._meta_limits)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for migrations."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
oauth = OAuth()
limiter = Limiter(key_func=get_remote_address)
