"""calendar sources and external busy

A host's outside calendars (CalDAV accounts, .ics feeds) and the cache of busy intervals
the worker reads from them (the availability loader reads the cache, never the sources);
`write_calendar` names the CalDAV calendar the host's bookings are written into.

Revision ID: d5a9c3e7f210
Revises: d2a9c6e4b1f0
Create Date: 2026-11-29 21:00:00

"""
from alembic import op
import sqlalchemy as sa

import webapp.models.types

# revision identifiers, used by Alembic.
revision = 'd5a9c3e7f210'
down_revision = 'd2a9c6e4b1f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('username', sa.String(length=254), nullable=True),
    sa.Column('secret_enc', sa.Text(), nullable=True),
    sa.Column('calendars', sa.JSON(), nullable=False),
    sa.Column('write_calendar', sa.String(length=254), nullable=True),
    sa.Column('all_day_blocks', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('tentative_busy', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('last_attempt_at', webapp.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_success_at', webapp.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('failing_since', webapp.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('refresh_requested', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('created_at', webapp.models.types.UTCDateTime(timezone=True),
              server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['host_id'], ['hosts.id'], name=op.f('fk_calendar_sources_host_id_hosts'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_sources'))
    )
    with op.batch_alter_table('calendar_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_sources_host_id'), ['host_id'], unique=False)

    op.create_table('external_busy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', webapp.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', webapp.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['host_id'], ['hosts.id'], name=op.f('fk_external_busy_host_id_hosts'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['calendar_sources.id'],
                            name=op.f('fk_external_busy_source_id_calendar_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_busy'))
    )
    with op.batch_alter_table('external_busy', schema=None) as batch_op:
        batch_op.create_index('ix_external_busy_host_range', ['host_id', 'starts_at', 'ends_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_external_busy_source_id'), ['source_id'], unique=False)


def downgrade():
    op.drop_table('external_busy')
    op.drop_table('calendar_sources')
