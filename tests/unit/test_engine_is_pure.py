"""The engine stays pure: it imports neither Flask nor SQLAlchemy."""
import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "webapp" / "scheduling"
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "webapp.models", "webapp.services")


def imported_modules(path: Path) -> set[str]:
    """Return the modules a Python file imports."""
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_scheduling_modules_import_no_framework_or_database_code():
    files = sorted(ENGINE.glob("*.py"))
    assert files
    for path in files:
        bad = {m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN or m.startswith(FORBIDDEN)}
        assert not bad, f"{path.name} imports {bad}"
