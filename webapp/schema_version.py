"""Is the database's schema at the migrations' head this code ships (readiness, imports)."""
from functools import lru_cache

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db


@lru_cache
def _migration_scripts(directory: str):
    """Return the migrations this code ships (read once: they do not change while it runs)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(directory)


def migration_state() -> str:
    """Return "ok" at head, "ahead" when a newer release migrated, "behind" or "unknown"."""
    from alembic.migration import MigrationContext

    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError:
        return "unknown"
    scripts = _migration_scripts(current_app.extensions["migrate"].directory)
    if current == set(scripts.get_heads()):
        return "ok"
    # A revision this code does not know was written by a newer release: expand-then-contract
    # migrations keep this version working on it, so it stays ready during a rolling upgrade.
    return "ahead" if current and not any(_is_known(scripts, rev) for rev in current) else "behind"


def _is_known(scripts, revision: str) -> bool:
    """Return True when `revision` is one of this code's migrations."""
    from alembic.util import CommandError

    try:
        return scripts.get_revision(revision) is not None
    except CommandError:
        return False
