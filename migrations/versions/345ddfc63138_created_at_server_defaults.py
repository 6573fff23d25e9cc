"""created_at and updated_at default to the database's clock

Rows inserted in plain SQL (the seed's own INSERT INTO availability_slots / blocked_dates
snippets) failed on the NOT NULL timestamps, which only the app filled in.

Revision ID: 345ddfc63138
Revises: 56b0ba1045a7
Create Date: 2026-11-29 19:50:00

"""
from alembic import op
import sqlalchemy as sa

import webapp.models.types

# revision identifiers, used by Alembic.
revision = '345ddfc63138'
down_revision = '56b0ba1045a7'
branch_labels = None
depends_on = None

#: every table's timestamp columns the app stamps itself
TIMESTAMPS = {
    'admin_users': ('created_at',),
    'api_tokens': ('created_at',),
    'availability_slots': ('created_at',),
    'blocked_dates': ('created_at',),
    'bookings': ('created_at', 'updated_at'),
    'booking_follow_ups': ('created_at',),
    'idempotency_records': ('created_at',),
    'outbox_messages': ('created_at', 'updated_at'),
    'provider_integrations': ('created_at', 'updated_at'),
    'service_types': ('created_at',),
    'settings': ('updated_at',),
}


def _set_defaults(server_default) -> None:
    """Give every timestamp column `server_default` (None removes it)."""
    for table, columns in TIMESTAMPS.items():
        # SQLite cannot alter a column: batch mode rebuilds the table (env.py turns off
        # foreign keys meanwhile); PostgreSQL gets plain ALTER COLUMN ... SET DEFAULT.
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=webapp.models.types.UTCDateTime(timezone=True),
                                      existing_nullable=False, server_default=server_default)


def upgrade():
    """Default the timestamps to CURRENT_TIMESTAMP."""
    _set_defaults(sa.text('CURRENT_TIMESTAMP'))


def downgrade():
    """Leave the timestamps to the app again."""
    _set_defaults(None)
