"""Bad input through a real server: NUL characters, ids past 64 bits, far years are a 4xx, never a 500."""
import httpx
import pytest

from tests.conftest import csrf_from
from tests.integration.admin.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, admin_user  # noqa: F401
from tests.integration.api.conftest import SEED_BOOKING
from webapp.extensions import db
from webapp.models import Booking

API = "/api/v1/booking"
HUGE = "99999999999999999999"  # past 2**63
NEXT_MONDAY_9 = "2030-01-07T09:00:00"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Each case on SQLite and on PostgreSQL (whose text cannot hold a NUL, nor BIGINT 2**64)."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'booking.db'}"


@pytest.fixture
def http(live_server):
    """An HTTP client of the running server."""
    with httpx.Client(base_url=live_server, timeout=30) as client:
        yield client


@pytest.fixture
def admin_http(http, admin_user):  # noqa: F811  (the fixture imported above)
    """The HTTP client logged in as the admin."""
    token = csrf_from(http.get("/admin/login").text)
    assert http.post("/admin/login", data={"csrf_token": token, "email": ADMIN_EMAIL,
                                           "password": ADMIN_PASSWORD}).status_code == 303
    return http


def bookings_stored() -> int:
    """Count the bookings in the database, read fresh."""
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count(Booking.id)))


@pytest.mark.parametrize("path", ["/book/%00", "/book/consultation?day=%00", "/booking/a%00b",
                                  "/manage/%00", "/manage/lost?email=%00", "/book/consultation%00/details"])
def test_a_nul_in_the_address_is_a_400_page(http, path):
    response = http.get(path)
    assert response.status_code == 400 and "NUL character" in response.text


@pytest.mark.parametrize("field", ["service_type", "client_name", "timezone", "meeting_provider",
                                   "client_notes"])
def test_a_nul_in_a_json_string_is_a_400_and_books_nothing(http, field):
    body = {**SEED_BOOKING, "scheduled_at": NEXT_MONDAY_9, "meeting_provider": "jitsi", field: "a\u0000"}
    response = http.post(f"{API}/bookings", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("The request contains a NUL")
    assert bookings_stored() == 0


def test_a_nul_in_a_json_key_or_availability_query_is_a_400(http):
    assert http.post(f"{API}/calendar/availability", json={"service_type": "a\u0000"}).status_code == 400
    assert http.post(f"{API}/calendar/availability", json={"a\u0000": 1}).status_code == 400
    raw = b'{"service_type": "consultation", "timezone": "Europe/Rome", "start_date": "2030-01-07", ' \
          b'"end_date": "2030-01-07", "note": "a\x00"}'  # a raw NUL byte in the text, not escaped
    assert http.post(f"{API}/calendar/availability", content=raw,
                     headers={"Content-Type": "application/json"}).status_code == 400


def test_the_text_backslash_u0000_is_no_nul(http):
    """A string holding the six characters \\u0000 (escaped backslash) is looked at, and let through."""
    response = http.post(f"{API}/calendar/availability", json={"service_type": "\\u0000"})
    assert response.status_code != 400 or "NUL" not in response.text


def test_a_nul_in_a_posted_form_or_admin_filter_is_a_400(admin_http):
    assert admin_http.get("/admin/bookings?q=%00").status_code == 400
    token = csrf_from(admin_http.get("/admin/").text)
    response = admin_http.post("/admin/settings", data={"csrf_token": token, "business_name": "x\u0000"})
    assert response.status_code == 400 and "NUL character" in response.text


@pytest.mark.parametrize("path", [f"/admin/bookings/{HUGE}", "/admin/bookings/9223372036854775808",
                                  f"/admin/availability/rules/{HUGE}", f"/admin/bookings/{HUGE}/reschedule"])
def test_ids_past_64_bits_in_admin_addresses_are_a_404(admin_http, path):
    assert admin_http.get(path).status_code == 404


def test_ids_past_64_bits_in_admin_posts_are_a_404(admin_http):
    token = csrf_from(admin_http.get("/admin/").text)
    for path in (f"/admin/bookings/{HUGE}/confirm", f"/admin/outbox/{HUGE}/retry",
                 f"/admin/blocked-dates/{HUGE}/delete"):
        assert admin_http.post(path, data={"csrf_token": token}).status_code == 404


def test_ids_past_64_bits_in_the_api_are_a_404_json(http):
    response = http.get(f"{API}/bookings/{HUGE}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("query", ["/admin/calendar?week=0001-01-01", "/admin/calendar?week=9999-12-31",
                                   "/admin/calendar/month?month=0001-01", "/admin/calendar/month?month=9999-12"])
def test_far_years_in_the_admin_calendar_are_a_400(admin_http, query):
    assert admin_http.get(query).status_code == 400


@pytest.mark.parametrize("query", ["?date_from=0001-01-01", "?date_to=9999-12-31",
                                   "?date_from=0001-01-01&date_to=9999-12-31"])
def test_far_years_in_the_bookings_filter_are_explained(admin_http, query):
    listing = admin_http.get("/admin/bookings" + query)
    assert listing.status_code == 422 and "Use a date such as" in listing.text
    assert admin_http.get("/admin/bookings.csv" + query).status_code == 400
