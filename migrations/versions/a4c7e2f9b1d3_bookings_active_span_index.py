"""bookings: an index the availability query reads alone (status, ends_at, scheduled_at, service_type)

Revision ID: a4c7e2f9b1d3
Revises: f3b8d1c6a925
Create Date: 2026-11-30 02:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a4c7e2f9b1d3'
down_revision = "f3b8d1c6a925"
branch_labels = None
depends_on = None


def upgrade():
    # active bookings ending after a time, covered: past bookings are not read however many they are
    op.create_index('ix_bookings_active_span', 'bookings', ['status', 'ends_at', 'scheduled_at', 'service_type'])


def downgrade():
    op.drop_index('ix_bookings_active_span', table_name='bookings')
