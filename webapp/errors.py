"""Error answers: JSON under /api/, a page in the site's layout everywhere else.

An unreachable database is a 503 with Retry-After (not a bare 500): the page reads nothing
from the database (the business name falls back to configuration, see `templating`).
"""
import logging
import re

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
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
    400: _l("That request could not be understood"),
    403: _l("Not allowed"),
    404: _l("Page not found"),
    405: _l("Not allowed"),
    409: _l("That changed in the meantime"),
    413: _l("Too much data"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
    503: _l("Briefly unavailable"),
}
#: what a page says when the refusal brought no words of its own (werkzeug's or a limit's)
MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    403: _l("This is not allowed."),
    404: _l("There is nothing here. If you followed a link from an email, it may have expired."),
    405: _l("This page cannot be used that way."),
    409: _l("Something changed in the meantime. Please reload the page and try again."),
    413: _l("That was more data than we accept."),
    429: _l("Too many requests in a short time. Please wait a minute and try again."),
    500: _l("Something went wrong on our side. Please try again in a moment."),
    503: _l("The booking service is briefly unavailable. Please try again in a moment."),
}
#: a refused CSRF token (Flask-WTF's descriptions are English and technical)
CSRF_REFUSED = _l("This form has expired or did not come from this site. Please reload the page and send it again.")
#: a rate limit's own description ("10 per 1 minute"): not words for a client
_LIMIT_TEXT = re.compile(r"^\d+ per ")


def error_text(error: HTTPException) -> tuple[str, str]:
    """Return an error's title and message in the page's language.

    Every 404 of an unknown address or token says the same (nothing of the request echoed, so a
    guessed token learns nothing); a refusal with words of its own (fixed text in the page's
    language, never the request's) keeps them.
    """
    title = str(TITLES.get(error.code, error.name))
    if isinstance(error, CSRFError):
        return title, str(CSRF_REFUSED)
    own = error.description if error.description != type(error).description else None
    if error.code == 500 or not own or _LIMIT_TEXT.match(own):
        return title, str(MESSAGES.get(error.code, own or title))
    return title, own


def render_http_error(error: HTTPException):
    """Render an HTTP error as a page in the site's layout."""
    title, message = error_text(error)
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
        str(MESSAGES[503]),
        retry_after=current_app.config["UNAVAILABLE_RETRY_AFTER"])
    return handle_http_error(unavailable)


def register(app: Flask) -> None:
    """Install the error handlers."""
    app.register_error_handler(HTTPException, handle_http_error)
    for error in DATABASE_DOWN:
        app.register_error_handler(error, handle_database_down)
