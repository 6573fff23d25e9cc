"""Answering htmx: one view renders the whole page, or only the fragment htmx swaps in."""
from flask import current_app, render_template, request

from webapp.fragment_cache import rendered_page
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


def render_page_or_fragment(page: str, fragment: str, status: int = 200, *, kept_by: tuple | None = None,
                            **context):
    """Render the whole page, or only the fragment when htmx asks for one (one view, two shapes).

    `kept_by`: the parts of `context` the HTML shows besides the address and the configuration;
    given, the HTML is kept for the next cookie-less visitor with the same (`fragment_cache.rendered_page`).
    """
    template = fragment if wants_fragment() else page
    html = render_template(template, **context) if kept_by is None else rendered_page(template, kept_by, context)
    response = current_app.make_response((html, status))
    add_vary(response, *SHAPE_HEADERS)
    return response
