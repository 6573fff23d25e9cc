"""The visitor's language on the site and widget (Flask-Babel): chosen, else the browser's, else the business's.

The catalogues and CLDR helpers are `webapp.mail.language`'s (pure, shared with the emails);
this module decides which language a request is in, which regional conventions (week start,
12/24 hours) its dates follow, and carries an explicit choice from link to link. The admin pages
follow the signed-in account's own choice (`AdminUser.language`), never the browser.
"""
from functools import lru_cache
from urllib.parse import urlencode

from babel import Locale, localedata
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, get_locale, refresh
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from webapp import template_gettext
from webapp.mail import language
from webapp.services.settings import get_settings
from webapp.vary import add_vary

#: the query parameter (and form field) that carries an explicit choice: ?lang=it
PARAMETER = "lang"
#: where a page opened by a booking's token keeps that booking's stored language (per request)
BOOKING_LANGUAGE = "webapp.booking_language"
#: bodies that may carry a `lang` field
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
#: where a request keeps the visitor's explicit choice once read
CHOSEN_LANGUAGE = "webapp.chosen_language"
#: where a request keeps its page's regional locale once worked out, by language
PAGE_LOCALE = "webapp.page_locale"
#: blueprints of the admin's pages: their language is the admin account's, not the browser's
ADMIN_BLUEPRINTS = frozenset({"admin", "integrations"})
#: blueprints of the client's pages, whose links carry an explicit `lang` on (the widget has no cookie)
CLIENT_BLUEPRINTS = frozenset({"public", "embed", "manage", "zones"})
#: endpoints that are no page (files, stylesheets, the zone list, the health checks): the same in every language
LANGUAGE_FREE_ENDPOINTS = frozenset({"public.favicon", "public.brand_css", "embed.script", "embed.theme",
                                     "zones.options", "manage.ics", "api.health", "api.ready"})

babel = Babel()


def chosen_language() -> str | None:
    """Return the language the visitor picked explicitly (`lang=it|en` in the URL or form), or None.

    Read once per request: every link a page builds asks (`carry_choice`). The request is
    looked up once here (each use of Flask's `request` proxy looks it up again).
    """
    this_request = request._get_current_object()
    environ = this_request.environ
    if CHOSEN_LANGUAGE not in environ:
        environ[CHOSEN_LANGUAGE] = language.supported(_query_choice(this_request) or _posted_choice(this_request))
    return environ[CHOSEN_LANGUAGE]


def _query_choice(this_request) -> str | None:
    """Return the query's `lang`; the query is parsed only if it could name one (most do not)."""
    query = this_request.environ.get("QUERY_STRING", "")
    if PARAMETER not in query and "%" not in query:
        return None
    return this_request.args.get(PARAMETER)


def _posted_choice(this_request) -> str | None:
    """Return a `lang` field of a posted form; None for any other body, or one too large to read."""
    if this_request.method != "POST" or this_request.mimetype not in FORM_TYPES:
        return None
    try:
        return this_request.form.get(PARAMETER)
    except HTTPException:  # e.g. 413: the view answers that; the language is not worth a second error
        return None


def business_language() -> str:
    """Return the business's default language (a setting); English when the database cannot say."""
    try:
        return language.language_or_default(get_settings().default_language)
    except SQLAlchemyError:
        return language.SOURCE_LANGUAGE


def select_language() -> str:
    """Return this request's language: explicit choice, else the booking's (manage pages), else
    Accept-Language, else the business default."""
    if not has_request_context():
        return language.SOURCE_LANGUAGE
    if request.blueprint in ADMIN_BLUEPRINTS:
        return admin_language()
    return (chosen_language()
            or request.environ.get(BOOKING_LANGUAGE)
            or request.accept_languages.best_match(language.LANGUAGES)
            or business_language())


def follow_booking_language(locale: str | None) -> None:
    """Show this page in the language stored on the booking it opens, unless the visitor chose one.

    The manage pages do this, so a client who booked in English on an Italian browser keeps
    reading English, and a move or cancellation changes the booking's language only when they
    switch explicitly.
    """
    request.environ[BOOKING_LANGUAGE] = language.supported(locale)
    refresh()


def admin_language() -> str:
    """Return an admin page's language: the signed-in account's choice, else the business default.

    Before login (the login page) an explicit `lang` choice counts, so the switcher works there.
    """
    chosen = current_user.language if current_user.is_authenticated else chosen_language()
    return language.supported(chosen) or business_language()


def current_language() -> str:
    """Return the language of the page being rendered ('en' or 'it')."""
    return language.language_or_default(str(get_locale() or "")) if has_request_context() \
        else language.SOURCE_LANGUAGE


def switch_links(keep_query: bool = True) -> list[dict]:
    """Return the language switcher's links: this page with each `lang`, the current one marked.

    The links are query-only (`?tz=...&lang=it`): the browser keeps the path, so a page opened
    by a token never writes that token into its HTML. Error pages pass `keep_query=False`, so
    they echo nothing of the request and every 404 is the same page.
    """
    current = current_language()
    args = request.args.to_dict() if keep_query else {}
    links = []
    for code in language.LANGUAGES:
        args[PARAMETER] = code
        links.append({"code": code, "name": language.LANGUAGE_NAMES[code], "url": "?" + urlencode(args),
                      "current": code == current})
    return links


def carry_choice(endpoint: str, values: dict) -> None:
    """Add the visitor's explicit `lang` to links between client pages, so the choice lasts the whole flow.

    Links, htmx requests and form actions all come from `url_for`, so a client who chose Italian
    stays Italian until the booking is stored, on the site and in the cookie-less widget alike.
    """
    if (not has_request_context() or PARAMETER in values or endpoint in LANGUAGE_FREE_ENDPOINTS
            or endpoint.partition(".")[0] not in CLIENT_BLUEPRINTS):
        return
    chosen = chosen_language()
    if chosen:
        values[PARAMETER] = chosen


#: blueprints whose answers follow the browser's language
_LANGUAGE_BLUEPRINTS = CLIENT_BLUEPRINTS | {"api"}


def vary_on_language(response):
    """Tell caches that a client page or API answer depends on the browser's language (unless chosen)."""
    endpoint = request.endpoint or ""
    if (endpoint.partition(".")[0] in _LANGUAGE_BLUEPRINTS and endpoint not in LANGUAGE_FREE_ENDPOINTS
            and not chosen_language()):
        add_vary(response, "Accept-Language")
    return response


@lru_cache(maxsize=256)
def regional_tag(language_code: str, browser_tags: tuple[str, ...]) -> str:
    """Return the CLDR locale whose conventions a page in `language_code` follows, e.g. 'en_GB'.

    The browser's first tag in that language with a region decides (en-GB: Monday, 24 hours;
    en-US: Sunday, 12 hours), else the region of its first tag in any language (an Italian browser
    reading the English page gets en_IT), else the language alone (CLDR: it 24 hours, en 12).
    """
    same = [tag for tag in browser_tags if language.supported(tag) == language_code]
    for tag in [*same, *browser_tags]:
        region = next((part.upper() for part in tag.replace("_", "-").split("-")[1:]
                       if len(part) == 2 and part.isalpha()), None)
        if region and localedata.exists(f"{language_code}_{region}"):
            return f"{language_code}_{region}"
    return language_code


def page_locale() -> Locale:
    """Return the Babel locale of the page being rendered: its language with the visitor's region."""
    if not has_request_context():
        return _locale(language.SOURCE_LANGUAGE)
    page_language = current_language()
    cached = request.environ.get(PAGE_LOCALE)
    if cached is None or cached[0] != page_language:  # a manage page may switch to its booking's language
        tags = tuple(tag for tag, _quality in request.accept_languages if tag != "*")
        cached = request.environ[PAGE_LOCALE] = (page_language, _locale(regional_tag(page_language, tags)))
    return cached[1]


@lru_cache(maxsize=64)
def _locale(tag: str) -> Locale:
    """Return the Babel locale `tag` names, parsed once per process."""
    return Locale.parse(tag)


def month_title(month) -> str:
    """Return a month and year in the page's language, e.g. 'marzo 2026' (the picker's heading)."""
    return f"{language.month_name(month.month, current_language())} {month.year}"


def _choose_again() -> None:
    """Forget a language Flask-Babel cached on the app context before this request began.

    An outer context (a CLI command, a test) is shared with every request it serves; a request
    in a context of its own (every request of a server) has nothing cached to forget.
    """
    if g.get("_flask_babel") is not None:
        refresh()


def init_app(app: Flask) -> None:
    """Install Flask-Babel over the repository's catalogues and the template helpers."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(language.TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", language.SOURCE_LANGUAGE)
    babel.init_app(app, locale_selector=select_language)
    template_gettext.init_app(app)  # the catalogue found once per request, not per `_()`
    app.before_request(_choose_again)
    app.url_defaults(carry_choice)
    app.after_request(vary_on_language)
    app.add_template_global(current_language, "current_language")
    app.add_template_global(switch_links, "language_links")
    app.add_template_filter(month_title, "month_title")

