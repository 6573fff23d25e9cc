"""requirements.lock pins every direct dependency of requirements.txt at the same version (run `make lock`)."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: `name[extras]==version`, optionally followed by an environment marker (`; python_version < "3.12"`)
PIN = re.compile(r"^([A-Za-z0-9._-]+)(\[[^\]]*\])?==([^\s;]+)\s*(;.*)?$")


def pins(path: Path) -> dict[str, str]:
    """Return name -> version of every `name==version` line (names normalised as PyPI does)."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = PIN.match(line)
        assert match, f"{path.name}: {line!r} is not pinned with =="
        found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(3)
    return found


def test_every_direct_dependency_is_locked_at_its_pinned_version():
    direct, locked = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements.lock")
    stale = {name: (version, locked.get(name)) for name, version in direct.items()
             if locked.get(name) != version}
    assert not stale, f"requirements.lock is stale, run `make lock`: {stale}"


def test_the_lock_pins_the_transitive_dependencies_too():
    locked = pins(ROOT / "requirements.lock")
    assert {"werkzeug", "jinja2", "urllib3"} <= set(locked)
