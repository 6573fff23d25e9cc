"""privacy: marketing consent and erasure on bookings; the audit log

Revision ID: d5e9f3a1b8c4
Revises: d91f3a6b2c57
Create Date: 2026-12-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa

import webapp.models.types

# revision identifiers, used by Alembic.
revision = 'd5e9f3a1b8c4'
down_revision = 'd91f3a6b2c57'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('marketing_consent', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('marketing_consent_at',
                                      webapp.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('marketing_consent_version', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('erasure_requested_at',
                                      webapp.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('erased_at', webapp.models.types.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.create_index(batch_op.f('ix_bookings_erased_at'), ['erased_at'], unique=False)

    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', webapp.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target_type', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.String(length=80), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_booking_id'), ['booking_id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_booking_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_at'))
    op.drop_table('audit_entries')

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bookings_erased_at'))
        batch_op.drop_column('erased_at')
        batch_op.drop_column('erasure_requested_at')
        batch_op.drop_column('marketing_consent_version')
        batch_op.drop_column('marketing_consent_at')
        batch_op.drop_column('marketing_consent')
