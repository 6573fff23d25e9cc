"""Client templates hold no bare words: every text a client reads is marked for translation."""
import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
#: the client's templates: site, manage pages, widget, error and zone pages, and the shared partials
CLIENT_TEMPLATES = sorted(
    [*TEMPLATES.glob("*.html"), *TEMPLATES.glob("public/*.html"), *TEMPLATES.glob("manage/*.html"),
     *TEMPLATES.glob("errors/*.html"), *TEMPLATES.glob("zones/*.html"),
     *(path for path in TEMPLATES.glob("embed/*.html") if path.name != "demo_partner.html")])  # a partner's page
#: attributes a visitor reads or hears
SPOKEN = re.compile(r'\b(?:aria-label|placeholder|title|alt)="([^"]*)"')
JINJA = [re.compile(pattern, re.S) for pattern in (
    r"\{#.*?#\}",                                   # comments
    r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}",  # marked blocks
    r"\{\{.*?\}\}", r"\{%.*?%\}")]                  # expressions and statements
#: what may stay: HTML entities and the few signs the pages draw
ALLOWED = re.compile(r"&\w+;|[·‹›*:()\s,.\-–]")


def bare_text(source: str) -> list[str]:
    """Return the pieces of a template's text and spoken attributes that hold letters outside Jinja."""
    for pattern in JINJA:
        source = pattern.sub(" ", source)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    spoken = SPOKEN.findall(source)
    text = re.split(r"<[^>]*>", source)
    return [piece.strip() for piece in [*spoken, *text] if re.search(r"[A-Za-z]", ALLOWED.sub("", piece))]


@pytest.mark.parametrize("template", CLIENT_TEMPLATES, ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_a_client_template_has_no_unmarked_text(template):
    assert bare_text(template.read_text()) == [], "mark it: {{ _(\"...\") }} or {% trans %}...{% endtrans %}"


def test_the_check_finds_bare_text_and_labels():
    assert bare_text('<p>Choose a day</p><a aria-label="Close">{{ _("Ok") }}</a>') == ["Close", "Choose a day"]
    assert bare_text('<p>{% trans n=1 %}Hello {{ n }}{% endtrans %} &larr; · {{ x }}</p>') == []
