"""Error answers: JSON under /api/, a page in the site's layout everywhere else."""
from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from webapp.api.errors import API_PREFIX, http_error

TITLES = {
    400: "That request could not be understood",
    404: "Page not found",
    405: "Not allowed",
    413: "Too much data",
    429: "Too many requests",
}


def render_http_error(error: HTTPException):
    """Render an HTTP error as a page in the site's layout."""
    title = TITLES.get(error.code, error.name)
    message = error.description if error.code != 404 else (
        "There is nothing here. If you followed a link from an email, it may have expired.")
    return render_template("errors/error.html", title=title, message=message), error.code


def handle_http_error(error: HTTPException):
    """Answer an HTTP error (routing errors included) in the shape its caller reads."""
    return http_error(error) if request.path.startswith(API_PREFIX) else render_http_error(error)


def register(app: Flask) -> None:
    """Install the error handler."""
    app.register_error_handler(HTTPException, handle_http_error)
