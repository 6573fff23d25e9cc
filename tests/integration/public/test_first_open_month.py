"""A month with no free time offers a link to the first month that has one."""
from datetime import date, datetime, timedelta, timezone

import pytest

from webapp.extensions import db
from webapp.models import BlockedDate

NOW = datetime(2026, 11, 25, 8, tzinfo=timezone.utc)


@pytest.fixture
def app_config():
    """Freeze the clock so the months are predictable."""
    return {"CLOCK": lambda: NOW}


def block(first: date, last: date) -> None:
    """Close every day from `first` to `last` (inclusive)."""
    day = first
    while day <= last:
        db.session.add(BlockedDate(blocked_date=day, reason="Closed"))
        day += timedelta(days=1)
    db.session.commit()


def test_an_empty_month_links_to_the_first_month_with_times(client):
    block(date(2026, 11, 25), date(2026, 12, 31))
    page = client.get("/book/consultation?tz=Europe/Rome").text
    assert "No free times this month." in page
    assert "Go to January 2027, the first month with free times" in page
    assert "month=2027-01" in page


def test_no_link_when_no_later_month_can_be_booked(client):
    block(date(2026, 11, 25), date(2027, 2, 28))
    page = client.get("/book/consultation?tz=Europe/Rome").text
    assert "No free times this month." in page and "the first month with free times" not in page
