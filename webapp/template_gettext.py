"""Templates' `_()` and `ngettext()` with the page's catalogue looked up once per request and locale.

Flask-Babel's own callables find the domain, the locale and the catalogue again on every call
(~12 µs each; a month page makes ~20 calls). These keep the catalogue on Flask-Babel's request
context beside the locale it was chosen for, so a language switched mid-request
(`follow_booking_language` refreshes Flask-Babel) picks the new one.
"""
from flask import Flask, g
from flask_babel import get_locale, get_translations


def page_translations():
    """Return the catalogue of the page's locale, found once per request (and per locale)."""
    ctx = g.get("_flask_babel") if g else None
    if ctx is None:  # outside an app context, or before Flask-Babel's first look: its own way
        return get_translations()
    locale = getattr(ctx, "babel_locale", None) or get_locale()
    kept = getattr(ctx, "page_translations", None)
    if kept is None or kept[0] is not locale:
        kept = ctx.page_translations = (locale, get_translations())
    return kept[1]


def init_app(app: Flask) -> None:
    """Replace Flask-Babel's template callables with these (after Flask-Babel's `init_app`)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
