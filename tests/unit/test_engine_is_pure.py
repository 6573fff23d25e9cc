"""Pure packages stay pure, transitively: importing them loads no web framework or database.

Each check imports the package and all its modules in a fresh interpreter and reads
`sys.modules`, so an import hidden behind another module (or a new module) is caught too.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: top-level packages no pure package may load
WEB_AND_DATABASE = ("flask", "werkzeug", "sqlalchemy", "flask_sqlalchemy", "alembic")
#: webapp modules every package may load: the package's own __init__ (it imports nothing)
SHARED = ("webapp",)

_LOADER = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(info.name)
print(json.dumps(sorted(sys.modules)))
"""


def loaded_modules(package: str) -> set[str]:
    """Import `package` and every module in it in a fresh interpreter; return what got loaded."""
    result = subprocess.run([sys.executable, "-c", _LOADER, package], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, f"importing {package} failed:\n{result.stderr}"
    return set(json.loads(result.stdout))


def violations(package: str, forbidden_roots: tuple[str, ...]) -> list[str]:
    """Return what `package` may not load: forbidden libraries (by name), other webapp modules."""
    bad = set()
    for name in loaded_modules(package):
        root = name.split(".")[0]
        if root in forbidden_roots or root.startswith("flask_"):
            bad.add(root)
        elif root == "webapp" and name not in SHARED and not (
                name == package or name.startswith(package + ".")):
            bad.add(name)
    return sorted(bad)


@pytest.mark.parametrize(("package", "forbidden_roots"), [
    # the booking engine: plain Python over plain values, no templates either
    ("webapp.scheduling", (*WEB_AND_DATABASE, "jinja2")),
    # meeting providers get config and token getters passed in: no Flask, no templates
    ("webapp.meetings", (*WEB_AND_DATABASE, "jinja2")),
    # message building and transports: Jinja renders the emails, nothing of the web app
    ("webapp.mail", WEB_AND_DATABASE),
    # webhook bodies, signatures, address checks and the POST: plain Python and requests
    ("webapp.webhooks", (*WEB_AND_DATABASE, "jinja2")),
    # reading outside calendars and expanding their events: caldav, requests, icalendar
    ("webapp.calendars", (*WEB_AND_DATABASE, "jinja2")),
])
def test_pure_packages_load_no_framework_database_or_other_webapp_code(package, forbidden_roots):
    assert violations(package, forbidden_roots) == []


def test_the_check_sees_an_import_made_through_another_module():
    # webapp.integrations reaches Flask and the models only through its own imports
    bad = violations("webapp.integrations", WEB_AND_DATABASE)

    assert "flask" in bad and "sqlalchemy" in bad and "webapp.models" in bad
