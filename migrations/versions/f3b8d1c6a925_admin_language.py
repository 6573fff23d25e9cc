"""admin_users.language: each admin's UI language (NULL: the business default)

Revision ID: f3b8d1c6a925
Revises: f3b8d1e6a472
Create Date: 2026-11-29 23:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'f3b8d1c6a925'
down_revision = "f3b8d1e6a472"
branch_labels = None
depends_on = None


def upgrade():
    # nullable, no default: the old version never writes it, and NULL means the business default
    with op.batch_alter_table('admin_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('admin_users', schema=None) as batch_op:
        batch_op.drop_column('language')
