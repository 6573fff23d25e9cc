"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from tests.conftest import base_config
from webapp import create_app
from webapp.extensions import db


def migrated(tmp_path, url: str):
    """Yield an app whose empty database at `url` was built by the migrations alone."""
    app = create_app(base_config(tmp_path, url))
    with app.app_context():
        upgrade()
        yield app
        db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_app(request, tmp_path):
    """A migrated app on SQLite and on PostgreSQL."""
    url = (request.getfixturevalue("postgres_url") if request.param == "postgresql"
           else f"sqlite:///{tmp_path / 'migrated.db'}")
    yield from migrated(tmp_path, url)


@pytest.fixture
def migrated_postgres_app(tmp_path, postgres_url):
    """A migrated app on PostgreSQL."""
    yield from migrated(tmp_path, postgres_url)


def test_migrations_match_the_models(migrated_app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_postgres_schema_has_the_overlap_backstop(migrated_postgres_app):
    with db.engine.connect() as connection:
        names = connection.exec_driver_sql(
            "SELECT conname FROM pg_constraint WHERE contype = 'x'").scalars().all()
    assert "bookings_no_overlap" in names
