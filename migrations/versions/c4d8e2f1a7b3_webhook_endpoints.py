"""webhook endpoints

Admin-configured receivers of booking events (their deliveries are outbox rows of kind
`webhook`, so the outbox table is unchanged).

Revision ID: c4d8e2f1a7b3
Revises: 6a1f0c3d9e21
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa

import webapp.models.types

# revision identifiers, used by Alembic.
revision = 'c4d8e2f1a7b3'
down_revision = '6a1f0c3d9e21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('webhook_endpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('secret_enc', sa.Text(), nullable=False),
    sa.Column('events', sa.JSON(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', webapp.models.types.UTCDateTime(timezone=True),
              server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', webapp.models.types.UTCDateTime(timezone=True),
              server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_endpoints')),
    sqlite_autoincrement=True
    )


def downgrade():
    op.drop_table('webhook_endpoints')
