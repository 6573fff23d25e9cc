"""The JSON API never reads or writes the cookie session: callers identify with a token, not a login."""
from tests.integration.admin.conftest import admin_user, log_in  # noqa: F401  (admin_user: a fixture)
from tests.integration.api.conftest import API, SEED_AVAILABILITY, SEED_BOOKING
from webapp.services.bookings import booking_by_token


def _sessionless(response) -> bool:
    """Tell whether an answer neither sets a cookie nor says it depends on one."""
    return "Set-Cookie" not in response.headers and "Cookie" not in response.headers.get("Vary", "")


def test_api_answers_neither_set_nor_vary_on_the_session_cookie(client):
    answers = [client.get(f"{API}/health"), client.post(f"{API}/calendar/availability", json=SEED_AVAILABILITY),
               client.post(f"{API}/bookings", json={}), client.get(f"{API}/bookings/nothing-here")]
    assert [response.status_code for response in answers] == [200, 200, 422, 404]
    assert all(_sessionless(response) for response in answers)


def test_an_admins_login_grants_nothing_through_the_api_and_survives_it(server_like_client, admin_user):
    client = server_like_client
    assert log_in(client).status_code == 303
    created = client.post(f"{API}/bookings", json=SEED_BOOKING)
    assert created.status_code == 201 and _sessionless(created)
    uid = booking_by_token(created.json["id"]).uid  # the stored uid: only an admin token addresses it
    by_uid = client.get(f"{API}/bookings/{uid}")
    assert by_uid.status_code == 404 and _sessionless(by_uid)
    assert client.get("/admin/").status_code == 200  # the browser's admin session is untouched
