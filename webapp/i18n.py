"""The visitor's language on the site and widget (Flask-Babel): chosen, else the browser's, else the business's.

The catalogues and CLDR helpers are `webapp.mail.language`'s (pure, shared with the emails);
this module only decides which language a request is in. The admin pages follow the signed-in
account's own choice (`AdminUser.language`), never the browser.
"""
from urllib.parse import urlencode

from flask import Flask, has_request_context, request
from flask_babel import Babel, get_locale, refresh
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from webapp.mail import language
from webapp.services.settings import get_settings

#: the query parameter (and form field) that carries an explicit choice: ?lang=it
PARAMETER = "lang"
#: blueprints of the admin's pages: their language is the admin account's, not the browser's
ADMIN_BLUEPRINTS = frozenset({"admin", "integrations"})

babel = Babel()


def chosen_language() -> str | None:
    """Return the language the visitor picked explicitly (`lang=it|en` in the URL or form), or None."""
    return language.supported(request.values.get(PARAMETER))


def business_language() -> str:
    """Return the business's default language (a setting); English when the database cannot say."""
    try:
        return language.language_or_default(get_settings().default_language)
    except SQLAlchemyError:
        return language.SOURCE_LANGUAGE


def select_language() -> str:
    """Return this request's language: explicit choice, else Accept-Language, else the business default."""
    if not has_request_context():
        return language.SOURCE_LANGUAGE
    if request.blueprint in ADMIN_BLUEPRINTS:
        return admin_language()
    return (chosen_language()
            or request.accept_languages.best_match(language.LANGUAGES)
            or business_language())


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


def month_title(month) -> str:
    """Return a month and year in the page's language, e.g. 'marzo 2026' (the picker's heading)."""
    return f"{language.month_name(month.month, current_language())} {month.year}"


def init_app(app: Flask) -> None:
    """Install Flask-Babel over the repository's catalogues and the template helpers."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(language.TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", language.SOURCE_LANGUAGE)
    babel.init_app(app, locale_selector=select_language)
    # Flask-Babel caches the language on the app context, which an outer context (a CLI command,
    # a test) shares with every request it serves: choose again for each request
    app.before_request(refresh)
    app.add_template_global(current_language, "current_language")
    app.add_template_global(switch_links, "language_links")
    app.add_template_filter(month_title, "month_title")

