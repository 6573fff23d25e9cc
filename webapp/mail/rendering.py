"""Render the email templates (templates/emails/) with Jinja alone: no web app needed.

The worker builds emails outside any request; the templates use nothing of Flask's
(no url_for, no request), so a plain Jinja environment renders them the same way.
Each language has its own environment with its catalogue installed (`jinja2.ext.i18n`),
so worker threads rendering different languages never swap each other's words.
"""
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from webapp.mail.language import SOURCE_LANGUAGE, language_or_default, translations

#: the project's templates folder; email templates are under emails/
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
#: escape HTML parts, never the plain-text ones (Flask's rule for file names)
_ESCAPED_SUFFIXES = (".html", ".htm", ".xml", ".xhtml", ".svg")


@cache
def email_environment(language: str = SOURCE_LANGUAGE) -> Environment:
    """Return the Jinja environment of the email templates in `language` (built once per process)."""
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=lambda name: bool(name) and name.endswith(_ESCAPED_SUFFIXES),
        extensions=["jinja2.ext.i18n"],
    )
    # newstyle: _("Hello %(name)s", name=x) escapes its variables in the HTML parts, as Flask-Babel does
    environment.install_gettext_translations(translations(language), newstyle=True)
    return environment


def render_email(name: str, context: dict, language: str = SOURCE_LANGUAGE) -> str:
    """Render template `name` (e.g. "emails/reminder.txt") with `context`, in `language`."""
    environment = email_environment(language_or_default(language))
    return environment.get_template(name).render(language=language_or_default(language), **context)
