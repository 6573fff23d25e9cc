"""Answering htmx: one view renders the whole page, or only the fragment htmx swaps in."""
from flask import current_app, render_template, request

from webapp.vary import add_vary

#: the request headers that decide which shape a page answers in (caches must key on them)
SHAPE_HEADERS = ("HX-Request", "HX-History-Restore-Request")


def wants_fragment() -> bool:
    """Tell whether htmx asked for a fragment to swap in.

    A history restore (Back after htmx pushed URLs, with nothing cached) replaces the whole
    body, so it gets the whole page even when htmx marks it as an htmx request.
    """
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def render_page_or_fragment(page: str, fragment: str, status: int = 200, **context):
    """Render the whole page, or only the fragment when htmx asks for one (one view, two shapes)."""
    template = fragment if wants_fragment() else page
    response = current_app.make_response((render_template(template, **context), status))
    add_vary(response, *SHAPE_HEADERS)
    return response
