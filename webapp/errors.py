"""Error answers: JSON under /api/, a page in the site's layout everywhere else.

An unreachable database is a 503 with Retry-After (not a bare 500): the page reads nothing
from the database (the business name falls back to configuration, see `templating`).
"""
import logging

from flask import Flask, current_app, render_template, request
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from webapp.api.errors import API_PREFIX, http_error
from webapp.extensions import db

log = logging.getLogger(__name__)

#: what the database driver raises while the server is down, restarting or out of connections
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeout)
#: headers of werkzeug's error response a page keeps (Retry-After, Allow)
_PAGE_HEADERS = {"retry-after", "allow"}

TITLES = {
    400: "That request could not be understood",
    404: "Page not found",
    405: "Not allowed",
    413: "Too much data",
    429: "Too many requests",
    503: "Briefly unavailable",
}


def render_http_error(error: HTTPException):
    """Render an HTTP error as a page in the site's layout."""
    title = TITLES.get(error.code, error.name)
    message = error.description if error.code != 404 else (
        "There is nothing here. If you followed a link from an email, it may have expired.")
    headers = {k: v for k, v in error.get_headers() if k.lower() in _PAGE_HEADERS}
    return render_template("errors/error.html", title=title, message=message, error_page=True), error.code, headers


def handle_http_error(error: HTTPException):
    """Answer an HTTP error (routing errors included) in the shape its caller reads."""
    return http_error(error) if request.path.startswith(API_PREFIX) else render_http_error(error)


def handle_database_down(error: Exception):
    """Answer 503 with Retry-After while the database does not answer (pages and API alike)."""
    log.warning("Database unreachable: %s", type(error).__name__)
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the pool replaces it when the server is back
        db.session.close()
    unavailable = ServiceUnavailable(
        "The booking service is briefly unavailable. Please try again in a moment.",
        retry_after=current_app.config["UNAVAILABLE_RETRY_AFTER"])
    return handle_http_error(unavailable)


def register(app: Flask) -> None:
    """Install the error handlers."""
    app.register_error_handler(HTTPException, handle_http_error)
    for error in DATABASE_DOWN:
        app.register_error_handler(error, handle_database_down)
