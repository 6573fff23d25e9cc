"""Parts of pages rendered once per process and reused while everything they show is unchanged.

A template wraps a part in `{% call cached("name", part, ...) %}…{% endcall %}`, naming in the
parts every value the block reads besides the configuration (whose version is added to the
key, with the page's locale: language and region): a later render with the same key returns the stored HTML
without running the block. Bookings are never cached: a part that shows them (the month's
open days) puts them in its key. `FRAGMENT_CACHE = False` renders every block every time
(the tests compare both).
"""
from collections import OrderedDict
from threading import Lock

from flask import Flask, current_app
from markupsafe import Markup

from webapp.i18n import page_locale
from webapp.services import config_cache

#: the most parts kept per process (a month page's parts are ~1–8 KB each)
LIMIT = 512


class FragmentCache:
    """Rendered parts by key, the oldest dropped past `limit`."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self.kept: OrderedDict[tuple, Markup] = OrderedDict()
        self.lock = Lock()

    def get_or_render(self, key: tuple, render) -> Markup:
        """Return the part stored under `key`, rendering and storing it first if missing."""
        found = self.kept.get(key)
        if found is not None:
            return found
        rendered = Markup(render())
        with self.lock:
            self.kept[key] = rendered
            while len(self.kept) > self.limit:
                self.kept.popitem(last=False)
        return rendered


def _hashable(part):
    """Return `part` as a key element (sets become frozensets, lists tuples)."""
    if isinstance(part, set):
        return frozenset(part)
    return tuple(part) if isinstance(part, list) else part


def cached(name: str, *parts, caller, config: bool = True) -> Markup:
    """Return the call block's HTML for `parts` in this configuration and locale (rendered once).

    `config=False` for a block that reads no configuration beyond its `parts` (the layout's):
    it then needs no database at all, so it also serves the error page of a database that is down.
    """
    if not current_app.config.get("FRAGMENT_CACHE", True):
        return Markup(caller())
    version = config_cache.current().version if config else None
    key = (name, version, str(page_locale()), *map(_hashable, parts))
    return current_app.extensions["fragment_cache"].get_or_render(key, caller)


def init_app(app: Flask) -> None:
    """Give `app` its fragment store and templates the `cached` call block."""
    app.extensions["fragment_cache"] = FragmentCache()
    app.add_template_global(cached, "cached")
