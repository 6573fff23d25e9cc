"""outbox rows record when the latest attempt started and how many claims lapsed

The attempt is committed before sending, so an email that went out twice (its worker
died between the server's accept and the record) is visible in the outbox.

Revision ID: 6a1f0c3d9e21
Revises: b7c1e0a4d2f9
Create Date: 2026-11-29 20:20:00

"""
import sqlalchemy as sa
from alembic import op

import webapp.models.types

# revision identifiers, used by Alembic.
revision = '6a1f0c3d9e21'
down_revision = 'b7c1e0a4d2f9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_attempt_at', webapp.models.types.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('lapsed_claims', sa.Integer(), server_default='0',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('lapsed_claims')
        batch_op.drop_column('last_attempt_at')
