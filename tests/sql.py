"""Record the SQL statements a block of test code sends, to count queries without timing anything."""
import threading
from contextlib import contextmanager

from sqlalchemy import event

from webapp.extensions import db

#: statements that only open or close transactions: not queries
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def recorded_statements(*, this_thread_only: bool = False):
    """Yield the list of SQL statements run inside the block (transaction control left out).

    With `this_thread_only`, statements sent by other threads (a server's, a runner's) are not
    recorded.
    """
    statements: list[str] = []
    me = threading.get_ident()

    def record(_conn, _cursor, statement, _params, _context, _many):
        if this_thread_only and threading.get_ident() != me:
            return
        if statement.split()[0].upper() not in TRANSACTION_CONTROL:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def count_queries(action) -> int:
    """Return how many SQL queries `action()` runs (transaction control aside)."""
    with recorded_statements() as statements:
        action()
    return len(statements)
