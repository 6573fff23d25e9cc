import pytest
from tests.factories import create_booking, create_block
from datetime import date, timedelta

@pytest.mark.parametrize("url", ["/admin/", "/admin/bookings", "/admin/bookings.csv", "/admin/availability",
    "/admin/blocked-dates", "/admin/service-types", "/admin/service-types/consultation", "/admin/settings",
    "/admin/outbox", "/admin/outbox?status=sent", "/admin/calendar", "/admin/calendar/month", "/admin/bookings/1",
    "/admin/bookings/1/reschedule", "/admin/availability/rules/1", "/admin/calendar?week=2030-01-07", "/admin/calendar/month?month=2030-01"])
def test_pages(admin_client, url):
    create_booking(status="confirmed")
    create_block(blocked_date=date(2030,1,8))
    create_block(blocked_date=date(2030,1,9), start_time=__import__("datetime").time(13), end_time=__import__("datetime").time(15))
    r = admin_client.get(url)
    print(r.get_data(as_text=True)[-3000:])
    assert r.status_code == 200, r.get_data(as_text=True)
