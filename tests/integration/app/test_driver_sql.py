"""The availability query on the raw DB-API cursor: the same rows as through SQLAlchemy, on both databases.

`webapp/driver_sql.py` compiles the statement once per dialect and number of hosts and binds
the parameters itself (the datetimes converted as `UTCDateTime` does); a mistake in the order
or the conversion would return other rows, so each case is compared with SQLAlchemy's answer.
"""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.factories import book
from tests.sql import recorded_statements
from webapp.driver_sql import _remembered_if_instant
from webapp.extensions import db
from webapp.models.types import UTCDateTime, seconds_of
from webapp.services.availability import _FRESH, fresh_params

#: Monday 1 December 2025, 08:00 UTC: the defaults offer weekday hours from the 2nd
NOW = datetime(2025, 12, 1, 8, tzinfo=timezone.utc)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Each test on a SQLite file, then on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'booking.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def app_config():
    """Freeze the clock."""
    return {"CLOCK": lambda: NOW}


def both_ways(excluding: bool, params: dict) -> tuple[list[tuple], list[tuple]]:
    """Return the rows of the raw-cursor run and of SQLAlchemy's own execution."""
    statement = _FRESH[excluding]
    raw = statement.all(db.session.connection(), params)
    through_sqlalchemy = [tuple(row) for row in db.session.connection().execute(statement.statement, params)]
    return [tuple(row) for row in raw], through_sqlalchemy


@pytest.mark.parametrize("hosts", [[], [1], [1, 2, 3]])
def test_the_raw_cursor_returns_what_sqlalchemy_returns(app, hosts):
    """Bookings inside and outside the range, with and without an excluded booking, 0–3 hosts."""
    created = [book(datetime(2025, 12, day, 9, tzinfo=timezone.utc), NOW) for day in (3, 10, 17)]
    since, until = datetime(2025, 12, 9, tzinfo=timezone.utc), datetime(2025, 12, 18, tzinfo=timezone.utc)
    params = fresh_params(since, until, hosts, 1)
    raw, expected = both_ways(False, params)
    assert sorted(raw, key=repr) == sorted(expected, key=repr)
    assert len(raw) == (3 if hosts else 1)  # two bookings in range (for host 1) and the version row
    raw, expected = both_ways(True, dict(params, exclude=created[1].booking.id))
    assert sorted(raw, key=repr) == sorted(expected, key=repr)
    assert len(raw) == (2 if hosts else 1)
    assert {seconds_of(row[3]) for row in raw if row[0] == 0} <= {int((since + timedelta(days=8, hours=9)).timestamp())}


def test_the_raw_query_is_seen_by_statement_listeners(app):
    """Query counts and logs still see the statement the raw cursor runs."""
    params = fresh_params(NOW, NOW + timedelta(days=1), [1], 1)
    with recorded_statements() as statements:
        _FRESH[False].all(db.session.connection(), params)
    assert len(statements) == 1 and "external_busy" in statements[0]


def test_a_read_outside_a_transaction_takes_a_pooled_connection_and_returns_the_same_rows(app):
    """No listener and no transaction: the pooled DB-API path; in a transaction: the session's."""
    book(datetime(2025, 12, 10, 9, tzinfo=timezone.utc), NOW)
    params = fresh_params(NOW, NOW + timedelta(days=14), [1], 1)
    expected = [tuple(row) for row in db.session.connection().execute(_FRESH[False].statement, params)]
    db.session.remove()
    pooled = _FRESH[False].read(db.session, db.engine, params)
    assert not db.session.registry.has() or not db.session().in_transaction()  # the session was not used
    assert sorted(pooled, key=repr) == sorted(expected, key=repr) and len(pooled) == 2
    db.session.connection()  # a transaction of the request's: the read runs inside it
    with recorded_statements() as statements:
        assert sorted(_FRESH[False].read(db.session, db.engine, params), key=repr) == sorted(expected, key=repr)
    assert len(statements) == 1


def test_a_bound_instant_is_converted_by_the_instant_it_names(app):
    """Remembered conversions are keyed by UTC instants: a repeated hour's two folds stay an hour apart."""
    dialect = db.engine.dialect
    convert = _remembered_if_instant(UTCDateTime(), UTCDateTime().dialect_impl(dialect).bind_processor(dialect))
    earlier, later = (datetime(2025, 10, 26, 1, 30, fold=fold, tzinfo=ZoneInfo("Europe/London")) for fold in (0, 1))
    assert earlier == later  # one zone's datetimes compare by wall time
    later_text = convert(later)
    assert convert(earlier) != later_text
    assert convert(earlier.astimezone(timezone.utc)) == convert(earlier) != convert(later.astimezone(timezone.utc))
    assert convert(later.astimezone(timezone.utc)) == later_text
