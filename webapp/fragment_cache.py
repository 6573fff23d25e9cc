"""Parts of pages rendered once per process and reused while everything they show is unchanged.

A template wraps a part in `{% call cached("name", part, ...) %}…{% endcall %}`, naming in the
parts every value the block reads besides the configuration (whose version is added to the
key, with the page's locale: language and region): a later render with the same key returns the stored HTML
without running the block. Bookings are never cached: a part that shows them (the month's
open days) puts them in its key. `FRAGMENT_CACHE = False` renders every block every time
(the tests compare both).

`rendered_page` keeps a whole page the same way, for a view that names what its context shows
(computed from fresh rows on every request) and only for a visitor who sends no cookie: such a
page holds nothing of a session (no flashed message, no form token), so its HTML is a function
of the address, the language headers, the configuration and those parts.
"""
from flask import Flask, current_app, render_template, request
from markupsafe import Markup

from webapp.bounded_memo import BoundedMemo
from webapp.i18n import page_locale
from webapp.services import config_cache

#: the most parts and pages kept per process (a month page's parts are ~1–8 KB each, the page ~13 KB)
LIMIT = 512


def _hashable(part):
    """Return `part` as a key element (sets become frozensets, lists tuples)."""
    if isinstance(part, set):
        return frozenset(part)
    return tuple(part) if isinstance(part, list) else part


def _kept(head: tuple, parts: tuple, render, *, config: bool = True):
    """Return what `render` gives, stored under `head`, the configuration version (unless not
    `config`), the page's locale and `parts`; rendered only when nothing is stored yet."""
    version = config_cache.current().version if config else None
    key = (*head, version, str(page_locale()), *map(_hashable, parts))
    return current_app.extensions["fragment_cache"].get_or_compute(key, render)


def cached(name: str, *parts, caller, config: bool = True) -> Markup:
    """Return the call block's HTML for `parts` in this configuration and locale (rendered once).

    `config=False` for a block that reads no configuration beyond its `parts` (the layout's):
    it then needs no database at all, so it also serves the error page of a database that is down.
    """
    if not current_app.config.get("FRAGMENT_CACHE", True):
        return Markup(caller())
    return _kept((name,), parts, lambda: Markup(caller()), config=config)


def rendered_page(template: str, parts: tuple, context: dict) -> str:
    """Return `template` rendered with `context`, kept per address, locale and `parts` for cookie-less visitors.

    `parts` must name every value of `context` that does not follow from the address and the
    configuration (what the view computed from fresh rows, the clock's day).
    """
    if not current_app.config.get("FRAGMENT_CACHE", True) or request.cookies:
        return render_template(template, **context)
    return _kept(("page", template, request.script_root, request.full_path), parts,
                 lambda: render_template(template, **context))


def init_app(app: Flask) -> None:
    """Give `app` its fragment store and templates the `cached` call block."""
    app.extensions["fragment_cache"] = BoundedMemo(LIMIT)
    app.add_template_global(cached, "cached")
