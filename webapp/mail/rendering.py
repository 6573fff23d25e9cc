"""Render the email templates (templates/emails/) with Jinja alone: no web app needed.

The worker builds emails outside any request; the templates use nothing of Flask's
(no url_for, no request), so a plain Jinja environment renders them the same way.
"""
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

#: the project's templates folder; email templates are under emails/
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
#: escape HTML parts, never the plain-text ones (Flask's rule for file names)
_ESCAPED_SUFFIXES = (".html", ".htm", ".xml", ".xhtml", ".svg")


@cache
def email_environment() -> Environment:
    """Return the Jinja environment of the email templates (built once per process)."""
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=lambda name: bool(name) and name.endswith(_ESCAPED_SUFFIXES),
    )


def render_email(name: str, context: dict) -> str:
    """Render template `name` (e.g. "emails/reminder.txt") with `context`."""
    return email_environment().get_template(name).render(**context)
