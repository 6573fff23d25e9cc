"""The catalogues are complete and current: every marked string has Italian, nothing marked is unextracted."""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from babel.support import Translations

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"


def _catalogue(path: Path, locale: str | None = None):
    """Read a .po or .pot file."""
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def test_every_marked_string_has_a_finished_italian_translation():
    catalogue = _catalogue(TRANSLATIONS / "it" / "LC_MESSAGES" / "messages.po", "it")
    untranslated = [message.id for message in catalogue
                    if message.id and (not message.string or message.fuzzy)]
    assert untranslated == [], "run `make i18n-update` and translate these in translations/it"


def test_the_template_holds_every_marked_string(tmp_path):
    fresh = tmp_path / "messages.pot"
    extract = [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
               "-k", "_", "-k", "N_", "-k", "gettext:2", "-k", "lazy_gettext", "-k", "_l",
               "--ignore-dirs=.* _* node_modules instance", "-o", str(fresh), "."]
    subprocess.run(extract, cwd=ROOT, check=True, capture_output=True)
    extracted = {message.id for message in _catalogue(fresh) if message.id}
    committed = {message.id for message in _catalogue(TRANSLATIONS / "messages.pot") if message.id}
    assert extracted - committed == set(), "run `make i18n-update` (new strings are not in the catalogue)"
    assert committed - extracted == set(), "run `make i18n-update` (the catalogue keeps dropped strings)"


def test_the_compiled_catalogue_matches_its_source():
    source = {message.id: message.string
              for message in _catalogue(TRANSLATIONS / "it" / "LC_MESSAGES" / "messages.po", "it") if message.id}
    compiled = Translations.load(str(TRANSLATIONS), ["it"])
    assert {key: _compiled(compiled, key, source[key]) for key in source} == source, "run `make i18n-compile`"


def _compiled(compiled: Translations, key, translated):
    """Return what the .mo holds for a message: its text, or every plural form (gettext's catalogue keys)."""
    if isinstance(key, tuple):
        return tuple(compiled._catalog.get((key[0], index)) for index in range(len(translated)))
    return compiled.gettext(key)
