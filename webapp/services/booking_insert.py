"""A new booking's rows (the booking, its host links, its audit entry) inserted by Core, past the unit of work.

An ORM flush of a new booking and its links costs more CPU than the INSERTs it sends
(dependency sort, per-row bookkeeping, the flush listeners), and each statement costs ~0.25 ms
of CPU in SQLAlchemy and the driver whatever it does. On PostgreSQL the three rows go in by
**one statement** (the booking's INSERT as a CTE, its links and its audit entry inserted from
it); elsewhere by one Core INSERT per table. The booking's every column comes back, and the
objects join the session as persistent rows already loaded with what was written. What the
flush listeners would have done for them is done here: the audit entry (`audit`) and the
booking counted for the metrics (`metrics.note_new_bookings`).
"""
from functools import cache

from sqlalchemy import ARRAY, Integer, bindparam, func, insert, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from webapp import audit, metrics
from webapp.models import Booking, BookingHost

_BOOKINGS = Booking.__table__
_LINKS = BookingHost.__table__
_BOOKING_COLUMNS = tuple((attr.key, attr.columns[0]) for attr in Booking.__mapper__.column_attrs)
_RETURNED = tuple(column for _key, column in _BOOKING_COLUMNS)


def insert_booking(session, booking: Booking) -> None:
    """Insert a new `booking` and its host links (as they are set: `booking.hold_hosts`, all
    equally active), then make them the session's persistent rows with every column loaded;
    nothing is left to flush."""
    connection = session.connection()
    given = _values(booking)
    links = booking.host_links
    if connection.dialect.name == "postgresql" and links:
        params = {**given, **audit.entry_params(), "link_hosts": [link.host.id for link in links],
                  "link_active": links[0].active}
        _load(booking, connection.execute(_together(tuple(given)), params).one())
    else:
        _load(booking, connection.execute(insert(_BOOKINGS).returning(*_RETURNED), given).one())
        _insert_links(connection, booking)
        audit.record_inserted(connection, [booking])
    _attach(session, booking)
    metrics.note_new_bookings(session, 1)


@cache
def _together(given: tuple[str, ...]):
    """Return PostgreSQL's one statement: the booking's INSERT (of the `given` columns) as a CTE,
    its links and its audit entry inserted from it; it returns the booking's stored columns."""
    new = insert(_BOOKINGS).values({name: bindparam(name, type_=_BOOKINGS.c[name].type) for name in given}) \
        .returning(*_RETURNED).cte("new_booking")
    links = insert(_LINKS).from_select(
        ["booking_id", "host_id", "scheduled_at", "ends_at", "active"],
        select(new.c.id, func.unnest(bindparam("link_hosts", type_=ARRAY(Integer))), new.c.scheduled_at,
               new.c.ends_at, bindparam("link_active", type_=_LINKS.c.active.type)))
    entry = audit.booking_created_from(new)
    return select(*(new.c[column.key] for column in _RETURNED)).add_cte(links.cte("new_links"),
                                                                          entry.cte("new_entry"))


def _values(booking: Booking) -> dict:
    """Return the booking's column values to insert: those set, and the columns' Python defaults for the others
    (computed here: SQLAlchemy does not fill them in for an INSERT inside a SELECT's CTE)."""
    values = {}
    for key, column in _BOOKING_COLUMNS:
        if key in booking.__dict__:
            values[column.key] = booking.__dict__[key]
        elif column.default is not None and not column.primary_key:
            values[column.key] = column.default.arg(None) if column.default.is_callable else column.default.arg
    return values


def _load(booking: Booking, stored) -> None:
    """Set every column of the booking to the value stored, as if loaded."""
    for (key, _column), value in zip(_BOOKING_COLUMNS, stored, strict=True):
        set_committed_value(booking, key, value)


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
