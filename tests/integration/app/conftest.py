"""Apps whose empty database was built by the migrations alone, on SQLite and PostgreSQL."""
import pytest
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
        db.session.remove()
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
