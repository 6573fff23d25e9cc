"""hosts: each person's own calendar; today's single calendar becomes the default host

Adds hosts, the hosts of each service type (with an assignment mode), the host(s) each
booking holds (with a copy of its time, so PostgreSQL's `bookings_no_overlap` exclusion
constraint is per host), and a nullable host_id on weekly rules and blocked dates (NULL
means the default host, so the seed's plain-SQL inserts keep working). Every existing rule,
block, booking and service type is attached to the default host, named from BUSINESS_NAME
(or ADMIN_EMAIL, or "Default host") in the business zone, without an email of its own (its
notices go to ADMIN_EMAIL and its invites come from FROM_EMAIL, as before).

Downgrading drops the hosts again; it fails (as it must) if bookings of different hosts
overlap, since one calendar cannot hold them.

Revision ID: b7e1d0c4a917
Revises: c4d8e2f1a7b3
Create Date: 2026-11-29 20:40:00

"""
import re

import sqlalchemy as sa
from alembic import op
from flask import current_app

import webapp.models.types

# revision identifiers, used by Alembic.
revision = 'b7e1d0c4a917'
down_revision = 'c4d8e2f1a7b3'
branch_labels = None
depends_on = None

NOW = sa.text('CURRENT_TIMESTAMP')
OLD_CONSTRAINT = ("ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist "
                  "(tstzrange(scheduled_at, ends_at) WITH &&) WHERE (status IN ('pending', 'confirmed'))")
NEW_CONSTRAINT = ("ALTER TABLE booking_hosts ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist "
                  "(host_id WITH =, tstzrange(scheduled_at, ends_at) WITH &&) WHERE (active)")


def _setting(name: str, config_key: str):
    """Return a run-time setting stored by the admin, else the configuration's value."""
    settings = sa.table('settings', sa.column('key', sa.String), sa.column('value', sa.JSON))
    stored = op.get_bind().execute(sa.select(settings.c.value).where(settings.c.key == name)).scalar()
    return stored if stored else current_app.config.get(config_key)


def _create_default_host() -> int:
    """Insert the default host from the settings and return its id."""
    name = _setting('business_name', 'BUSINESS_NAME') or _setting('admin_email', 'ADMIN_EMAIL') or 'Default host'
    slug = re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')[:60] or 'host'
    hosts = sa.table('hosts', sa.column('id', sa.Integer), sa.column('slug', sa.String),
                     sa.column('name', sa.String), sa.column('email', sa.String),
                     sa.column('timezone', sa.String), sa.column('is_default', sa.Boolean))
    bind = op.get_bind()
    bind.execute(hosts.insert().values(
        slug=slug, name=name, is_default=True,
        email='',  # the business itself: notices to ADMIN_EMAIL, invites from FROM_EMAIL, as before
        timezone=_setting('business_timezone', 'BOOKING_TIMEZONE') or 'UTC'))
    return bind.execute(sa.select(hosts.c.id).where(hosts.c.is_default)).scalar_one()


def _attach_everything(host_id: int) -> None:
    """Give the default host every rule, block, service type and booking."""
    op.execute(sa.text('UPDATE availability_slots SET host_id = :h').bindparams(h=host_id))
    op.execute(sa.text('UPDATE blocked_dates SET host_id = :h').bindparams(h=host_id))
    op.execute(sa.text('INSERT INTO service_type_hosts (service_type_id, host_id) '
                       'SELECT id, :h FROM service_types').bindparams(h=host_id))
    op.execute(sa.text(
        "INSERT INTO booking_hosts (booking_id, host_id, scheduled_at, ends_at, active) "
        "SELECT id, :h, scheduled_at, ends_at, status IN ('pending', 'confirmed') FROM bookings"
    ).bindparams(h=host_id))


def upgrade():
    """Add hosts and move today's calendar onto the default host."""
    postgres = op.get_bind().dialect.name == 'postgresql'
    if postgres:
        op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')
    op.create_table('hosts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('photo_url', sa.String(length=500), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('priority', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('admin_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', webapp.models.types.UTCDateTime(timezone=True), server_default=NOW, nullable=False),
    sa.ForeignKeyConstraint(['admin_user_id'], ['admin_users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('admin_user_id'),
    sa.UniqueConstraint('slug')
    )
    op.create_table('service_type_hosts',
    sa.Column('service_type_id', sa.Integer(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['host_id'], ['hosts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_type_id'], ['service_types.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_type_id', 'host_id')
    )
    with op.batch_alter_table('service_type_hosts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_type_hosts_host_id'), ['host_id'], unique=False)
    op.create_table('booking_hosts',
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=False),
    sa.Column('scheduled_at', webapp.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', webapp.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['host_id'], ['hosts.id'], ),
    sa.PrimaryKeyConstraint('booking_id', 'host_id')
    )
    with op.batch_alter_table('booking_hosts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_hosts_host_id'), ['host_id'], unique=False)
    for table in ('availability_slots', 'blocked_dates'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('host_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_host_id'), ['host_id'], unique=False)
            batch_op.create_foreign_key(f'fk_{table}_host_id_hosts', 'hosts', ['host_id'], ['id'],
                                        ondelete='CASCADE')
    with op.batch_alter_table('service_types', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignment', sa.String(length=20),
                                      server_default=sa.text("'client_chooses'"), nullable=False))
    _attach_everything(_create_default_host())
    if postgres:
        op.execute('ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap')
        op.execute(NEW_CONSTRAINT)


def downgrade():
    """Drop the hosts: one calendar again (fails if bookings of different hosts overlap)."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE booking_hosts DROP CONSTRAINT bookings_no_overlap')
        op.execute(OLD_CONSTRAINT)
    with op.batch_alter_table('service_types', schema=None) as batch_op:
        batch_op.drop_column('assignment')
    for table in ('blocked_dates', 'availability_slots'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_host_id_hosts', type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_host_id'))
            batch_op.drop_column('host_id')
    op.drop_table('booking_hosts')
    op.drop_table('service_type_hosts')
    op.drop_table('hosts')
