"""admin session epochs and per-address login throttles

Sessions carry their admin's session_epoch: raising it (logout, a new password, "sign out
everywhere") ends every older session. Failed logins are counted per (account, address) and
per address in login_throttles instead of locking the account for everyone.

Revision ID: b7c1e0a4d2f9
Revises: 345ddfc63138
Create Date: 2026-11-29 20:10:00

"""
from alembic import op
import sqlalchemy as sa

import webapp.models.types

# revision identifiers, used by Alembic.
revision = 'b7c1e0a4d2f9'
down_revision = '345ddfc63138'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('admin_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default=sa.text('0'),
                                      nullable=False))
    op.create_table('login_throttles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('blocked_until', webapp.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_failure_at', webapp.models.types.UTCDateTime(timezone=True),
              server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_throttles')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_login_throttles_key_hash'))
    )


def downgrade():
    op.drop_table('login_throttles')
    with op.batch_alter_table('admin_users', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')
