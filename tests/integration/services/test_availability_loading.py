"""Loading the engine's inputs costs a fixed number of queries, whatever the range holds."""
from datetime import date, datetime, time, timedelta, timezone

from tests.factories import create_block, store_booking
from tests.sql import recorded_statements
from webapp.services.availability import active_service_types, find_availability

NOW = datetime(2026, 11, 25, 8, tzinfo=timezone.utc)




def queries_for(days: int) -> int:
    """Return how many queries availability of every type over `days` days takes."""
    services = active_service_types()
    with recorded_statements() as statements:
        find_availability(services, NOW, NOW + timedelta(days=days), NOW)
    return len(statements)


def test_query_count_does_not_grow_with_days_or_bookings(app):
    empty_week = queries_for(7)
    for n in range(200):
        start = datetime(2026, 12, 1, 8, tzinfo=timezone.utc) + timedelta(days=n % 60, minutes=30 * (n % 7))
        store_booking(scheduled_at=start, status="confirmed" if n % 2 else "pending")
    for n in range(10):
        create_block(blocked_date=date(2026, 12, 10) + timedelta(days=n), all_day=n % 2 == 0,
                     start_time=None if n % 2 == 0 else time(12), end_time=None if n % 2 == 0 else time(14))
    # settings, hosts (with the types they give), rules, blocks, bookings: the hosts query is
    # the one added by multi-host availability (issue 17); more hosts add no query; outside
    # calendars' cached busy times (issue 18) add one, however many sources there are
    assert queries_for(7) == queries_for(60) == empty_week <= 6


def test_bookings_of_another_type_take_the_time_for_every_type(app):
    services = active_service_types()
    start = datetime(2026, 12, 1, 8, tzinfo=timezone.utc)
    store_booking(scheduled_at=start, service_type="training", duration_minutes=60)
    found = find_availability(services, start, start + timedelta(hours=3), NOW)
    for service in services:
        assert start not in [slot.start for slot in found.slots[service.key]], service.key
    assert found.bookings_count == 1


def test_cancelled_bookings_free_their_time(app):
    services = active_service_types()
    start = datetime(2026, 12, 1, 8, tzinfo=timezone.utc)
    store_booking(scheduled_at=start, status="cancelled")
    found = find_availability(services, start, start + timedelta(hours=1), NOW)
    assert start in [slot.start for slot in found.slots["consultation"]]
