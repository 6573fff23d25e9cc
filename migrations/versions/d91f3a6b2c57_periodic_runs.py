"""periodic_runs: one row per periodic job and period, so each period runs once

Every worker (and every web process without Redis) ticks the sweep; the first to insert
the period's row runs it. Only adds a table: safe while the old version serves (its
processes keep sweeping without the table, as before).

Revision ID: d91f3a6b2c57
Revises: b7e1d0c4a917
Create Date: 2026-11-30 10:00:00

"""
import sqlalchemy as sa
from alembic import op

import webapp.models.types

# revision identifiers, used by Alembic.
revision = 'd91f3a6b2c57'
down_revision = 'b7e1d0c4a917'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'periodic_runs',
        sa.Column('job', sa.String(length=40), nullable=False),
        sa.Column('period', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('started_at', webapp.models.types.UTCDateTime(), nullable=False),
        sa.Column('runner', sa.String(length=120), nullable=False),
        sa.Column('finished_at', webapp.models.types.UTCDateTime(), nullable=True),
        sa.Column('outcome', sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint('job', 'period'),
    )


def downgrade():
    op.drop_table('periodic_runs')
