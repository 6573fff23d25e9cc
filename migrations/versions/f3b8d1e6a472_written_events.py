"""written events: bookings' events in Google, Microsoft and CalDAV calendars

The remote id of each booking's event per writing source (so a move or a cancel reaches
the right event), how the event shows in iCalendar exports, and the time it holds there.

Revision ID: f3b8d1e6a472
Revises: e7a2c9d4f610
Create Date: 2026-11-29 23:00:00

"""
from alembic import op
import sqlalchemy as sa

import webapp.models.types

# revision identifiers, used by Alembic.
revision = 'f3b8d1e6a472'
down_revision = 'e7a2c9d4f610'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('written_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=1024), nullable=False),
    sa.Column('ical_uid', sa.String(length=1024), nullable=True),
    sa.Column('starts_at', webapp.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', webapp.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_written_events_booking_id_bookings'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['host_id'], ['hosts.id'], name=op.f('fk_written_events_host_id_hosts'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['calendar_sources.id'],
                            name=op.f('fk_written_events_source_id_calendar_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_written_events')),
    sa.UniqueConstraint('source_id', 'booking_id', name=op.f('uq_written_events_source_id'))
    )
    with op.batch_alter_table('written_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_written_events_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_written_events_host_id'), ['host_id'], unique=False)


def downgrade():
    op.drop_table('written_events')
