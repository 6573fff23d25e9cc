"""bookings.locale: the client's language, so every later email is written in it

Revision ID: e7a2c9d4f610
Revises: d5a9c3e7f1b2
Create Date: 2026-11-29 21:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'e7a2c9d4f610'
down_revision = 'd5a9c3e7f1b2'
branch_labels = None
depends_on = None


def upgrade():
    # a server default: rows written by the old version while this one rolls out read as English
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=8), server_default='en', nullable=False))


def downgrade():
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_column('locale')
