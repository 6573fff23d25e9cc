"""Every admin page renders for a signed-in admin with a booking and blocked time to show."""
from datetime import date, time

import pytest

from tests.factories import create_block, store_booking

ADMIN_PAGES = [
    "/admin/", "/admin/bookings", "/admin/bookings.csv", "/admin/availability",
    "/admin/blocked-dates", "/admin/service-types", "/admin/service-types/consultation",
    "/admin/settings", "/admin/outbox", "/admin/outbox?status=sent", "/admin/calendar",
    "/admin/calendar/month", "/admin/bookings/1", "/admin/bookings/1/reschedule",
    "/admin/availability/rules/1", "/admin/calendar?week=2030-01-07",
    "/admin/calendar/month?month=2030-01",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_page_renders_with_bookings_and_blocks(admin_client, url):
    store_booking(status="confirmed")
    create_block(blocked_date=date(2030, 1, 8))
    create_block(blocked_date=date(2030, 1, 9), start_time=time(13), end_time=time(15))
    response = admin_client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
