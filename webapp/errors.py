"""HTML error pages for the site (the API answers JSON on its own)."""
from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

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


def register(app: Flask) -> None:
    """Install the error pages."""
    app.register_error_handler(HTTPException, render_http_error)
