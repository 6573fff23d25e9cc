"""Alembic environment for Flask-Migrate: the app's engine and metadata, batch mode on SQLite."""
import logging
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
# keep the app's own loggers working after an in-process upgrade (tests, `flask db upgrade`)
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger('alembic.env')

# The app's Flask-SQLAlchemy object; `db.engine` is Flask-SQLAlchemy 3's API
# (`db.get_engine()` is deprecated and goes away in 3.2).
target_db = current_app.extensions['migrate'].db


def get_engine_url():
    """Return the app's database URL, password included, escaped for the ini parser."""
    return target_db.engine.url.render_as_string(hide_password=False).replace('%', '%%')


config.set_main_option('sqlalchemy.url', get_engine_url())


def get_metadata():
    """Return the models' metadata, the target of autogenerate."""
    return target_db.metadata


@contextmanager
def sqlite_foreign_keys_off(connection):
    """On SQLite, turn foreign keys off for the block and check them before turning them on.

    Batch mode rebuilds a SQLite table by copying it and dropping the original, which
    foreign keys forbid while other rows point at it; SQLite only changes the PRAGMA
    outside a transaction, so it is set on the driver's connection before one begins.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
        broken = driver.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left rows with dangling foreign keys: {broken}")
    finally:
        driver.execute("PRAGMA foreign_keys = ON")  # the pooled connection serves the app next


def run_migrations_offline():
    """Run migrations in 'offline' mode: emit SQL for the URL, no engine needed."""
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url, target_metadata=get_metadata(), literal_binds=True
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode, on a connection of the app's engine."""

    def process_revision_directives(context, revision, directives):
        """Write no empty revision when autogenerate finds no schema change."""
        if getattr(config.cmd_opts, 'autogenerate', False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info('No changes in schema detected.')

    conf_args = current_app.extensions['migrate'].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    with target_db.engine.connect() as connection, sqlite_foreign_keys_off(connection):
        context.configure(
            connection=connection,
            target_metadata=get_metadata(),
            **conf_args
        )

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
