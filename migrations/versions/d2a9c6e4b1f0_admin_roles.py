"""admin roles: an admin account is an "admin" (everything) or a "host" (only their own calendar)

Every existing account stays an admin.

Revision ID: d2a9c6e4b1f0
Revises: d5e9f3a1b8c4
Create Date: 2026-11-29 20:55:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd2a9c6e4b1f0'
down_revision = 'd5e9f3a1b8c4'
branch_labels = None
depends_on = None


def upgrade():
    """Add admin_users.role, every existing account an admin."""
    with op.batch_alter_table('admin_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=16), server_default=sa.text("'admin'"),
                                      nullable=False))


def downgrade():
    """Drop admin_users.role (host logins become admins: remove them first if that matters)."""
    with op.batch_alter_table('admin_users', schema=None) as batch_op:
        batch_op.drop_column('role')
