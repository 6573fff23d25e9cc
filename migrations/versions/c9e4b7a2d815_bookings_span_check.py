"""bookings: a booking ends after it starts and lasts at most a day (ck_bookings_span_within_a_day)

The availability query then reads only the bookings ending within a day of its range, not every
later one. A database holding a booking that breaks the rule (only a row written in plain SQL
can) stops the upgrade with a message naming how many.

Revision ID: c9e4b7a2d815
Revises: a4c7e2f9b1d3
Create Date: 2026-11-30 08:10:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'c9e4b7a2d815'
down_revision = "a4c7e2f9b1d3"
branch_labels = None
depends_on = None

NAME = "ck_bookings_span_within_a_day"
#: as webapp.models.booking.SPAN_CHECK_SQL (a migration keeps its own copy: the model may move on)
CHECK = {
    "postgresql": "ends_at > scheduled_at AND ends_at <= scheduled_at + interval '1 day'",
    "sqlite": "julianday(ends_at) > julianday(scheduled_at) AND julianday(ends_at) - julianday(scheduled_at) <= 1",
}


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect not in CHECK:
        return
    breaking = op.get_bind().execute(sa.text(f"SELECT count(*) FROM bookings WHERE NOT ({CHECK[dialect]})")).scalar()
    if breaking:
        raise RuntimeError(f"{breaking} booking(s) end before they start or last more than a day; "
                           "correct their scheduled_at/ends_at (or delete them), then upgrade again")
    if dialect == "postgresql":
        op.create_check_constraint(op.f(NAME), "bookings", CHECK[dialect])
    else:  # SQLite adds a constraint by copying the table
        with op.batch_alter_table("bookings", recreate="always") as batch_op:
            batch_op.create_check_constraint(op.f(NAME), CHECK[dialect])


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.drop_constraint(op.f(NAME), "bookings", type_="check")
    elif dialect == "sqlite":
        with op.batch_alter_table("bookings", recreate="always") as batch_op:
            batch_op.drop_constraint(op.f(NAME), type_="check")
