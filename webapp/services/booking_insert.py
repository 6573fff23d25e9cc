"""A new booking's rows (the booking, its host links, its audit entry) inserted past the unit of work.

An ORM flush of a new booking and its links costs more CPU than the INSERTs it sends
(dependency sort, per-row bookkeeping, the flush listeners), and SQLAlchemy's statement path
costs ~0.25 ms of CPU per statement whatever the statement. On PostgreSQL the three rows go in
by **one statement** on the driver's cursor (`driver_sql.DriverStatement`: the booking's INSERT
as a CTE, its links and its audit entry inserted from it, the booking's id returned); elsewhere
by one Core INSERT per table. Every column's value is known before (the columns' Python
defaults are computed here, as a flush would), so only the id comes back, and the objects join
the session as persistent rows loaded with what was written. What the flush listeners would
have done for them is done here: the audit entry (`audit`) and the booking counted for the
metrics (`metrics.note_new_bookings`).
"""
from functools import cache

from sqlalchemy import ARRAY, Integer, bindparam, func, insert, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from webapp import audit, metrics
from webapp.database import inserted_past_flush
from webapp.driver_sql import DriverStatement, with_defaults
from webapp.models import Booking, BookingHost

_BOOKINGS = Booking.__table__
_LINKS = BookingHost.__table__
#: (attribute, column) of every column but the id
_BOOKING_COLUMNS = tuple((attr.key, attr.columns[0]) for attr in Booking.__mapper__.column_attrs
                         if not attr.columns[0].primary_key)


def insert_booking(session, booking: Booking) -> None:
    """Insert a new `booking` and its host links (as they are set: `booking.hold_hosts`), then
    make them the session's persistent rows with every column loaded; nothing is left to flush.

    One statement on PostgreSQL when there are links, all equally active (a new booking's are)."""
    connection = session.connection()
    values = _values(booking)
    links = booking.host_links
    together = connection.dialect.name == "postgresql" and len({link.active for link in links}) == 1
    if together:
        params = {**values, **audit.entry_params(), "link_hosts": [link.host.id for link in links],
                  "link_active": links[0].active}
        booking_id = _together(tuple(values)).run(connection, params)[0][0]
    else:
        booking_id = connection.execute(insert(_BOOKINGS).returning(_BOOKINGS.c.id), values).scalar_one()
    set_committed_value(booking, "id", booking_id)
    for key, column in _BOOKING_COLUMNS:  # those set already count as loaded once attached (`_attach`)
        if key not in booking.__dict__ and (column.key in values or column.server_default is None):
            set_committed_value(booking, key, values.get(column.key))  # else the database's: loaded when read
    if not together:
        _insert_links(connection, booking)
        audit.record_inserted(connection, [booking])
    _attach(session, booking)
    metrics.note_new_bookings(session, 1)


def _values(booking: Booking) -> dict:
    """Return the booking's column values to insert: those set, and the columns' Python defaults
    for the others, computed here as a flush would (none is filled in for an INSERT in a CTE)."""
    return with_defaults(_BOOKINGS, {column.key: booking.__dict__[key] for key, column in _BOOKING_COLUMNS
                                     if key in booking.__dict__})


@cache
def _together(columns: tuple[str, ...]) -> DriverStatement:
    """Return PostgreSQL's one statement: the booking's INSERT (of `columns`) as a CTE, its links
    and its audit entry inserted from it; it returns the booking's id."""
    new = insert(_BOOKINGS).values({name: bindparam(name, type_=_BOOKINGS.c[name].type) for name in columns}) \
        .returning(_BOOKINGS.c.id, _BOOKINGS.c.status, _BOOKINGS.c.scheduled_at, _BOOKINGS.c.ends_at) \
        .cte("new_booking")
    links = insert(_LINKS).from_select(
        ["booking_id", "host_id", "scheduled_at", "ends_at", "active"],
        select(new.c.id, func.unnest(bindparam("link_hosts", type_=ARRAY(Integer))), new.c.scheduled_at,
               new.c.ends_at, bindparam("link_active", type_=_LINKS.c.active.type)))
    entry = audit.booking_created_from(new)
    return DriverStatement(select(new.c.id).add_cte(links.cte("new_links"), entry.cte("new_entry")))


def _insert_links(connection, booking: Booking) -> None:
    """Insert the booking's host links (one Core INSERT for all)."""
    if booking.host_links:
        connection.execute(insert(_LINKS), [{"booking_id": booking.id, "host_id": link.host.id,
                                             "scheduled_at": link.scheduled_at, "ends_at": link.ends_at,
                                             "active": link.active} for link in booking.host_links])


def _attach(session, booking: Booking) -> None:
    """Make the inserted booking and its links persistent in `session`, clean (nothing to flush)."""
    for link in booking.host_links:
        set_committed_value(link, "booking_id", booking.id)
        set_committed_value(link, "host_id", link.host.id)
        make_transient_to_detached(link)
    make_transient_to_detached(booking)
    session.add(booking)  # detached with its key: persistent at once, its links too
    inserted_past_flush(session, [booking, *booking.host_links])
