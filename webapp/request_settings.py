"""The web layer's part of reading the stable configuration: its version at most once per request.

Read-only views marked `@checked_after` use the process's cached configuration at once and
check its version with the query that reads the bookings (availability: one query in all);
if it had moved, the view runs again on the fresh configuration.
"""
from functools import wraps

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.services import config_cache


def _stop(_exc: BaseException | None) -> None:
    """End the request's unit of work, whether or not the request failed."""
    config_cache.stop_unit()


def checked_after(view):
    """Run a read-only view on the cached configuration, checked afterwards; again if it had moved.

    Only for views that write nothing: a stale first run is thrown away, answer or error alike.
    A database error is no stale answer: it goes to the error handlers as it is (the session
    could not even read the version, and a database that is down answers 503).
    """
    @wraps(view)
    def run(*args, **kwargs):
        if not config_cache.begin_optimistic():
            return view(*args, **kwargs)
        try:
            answer = view(*args, **kwargs)
        except SQLAlchemyError:
            raise
        except Exception:
            if config_cache.end_optimistic():
                raise
        else:
            if config_cache.end_optimistic():
                return answer
        db.session.rollback()  # a fresh transaction and no stale rows for the second run
        return view(*args, **kwargs)
    return run


def init_app(app: Flask) -> None:
    """Watch configuration changes; open a unit at each request's start, close it at its end."""
    config_cache.init_app(app)
    app.before_request(config_cache.start_unit)
    app.teardown_request(_stop)
