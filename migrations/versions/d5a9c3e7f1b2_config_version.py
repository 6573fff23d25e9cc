"""config version

One row whose number every change to the stable configuration (service types, hosts, rules,
blocked dates, settings) bumps in its transaction, so each process reloads its cache only then.

Revision ID: d5a9c3e7f1b2
Revises: d5a9c3e7f210
Create Date: 2026-11-29 21:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd5a9c3e7f1b2'
down_revision = 'd5a9c3e7f210'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('config_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.bulk_insert(table, [{'id': 1, 'version': 1}])


def downgrade():
    op.drop_table('config_version')
