"""Twenty clients posting the same slot at once get one booking, through two web processes."""
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta

import httpx
import pytest
from werkzeug.serving import make_server

from tests.conftest import base_config, csrf_from
from webapp import create_app
from webapp.extensions import db
from webapp.models import Booking
from webapp.scheduling import get_zone, local_to_utc

CLIENTS = 20


def next_monday_at_nine_in_rome() -> str:
    """Return a bookable slot: 09:00 Rome on a Monday one to two weeks ahead, as UTC ISO."""
    today = date.today()
    monday = today + timedelta(days=7 + (7 - today.weekday()) % 7)
    return local_to_utc(datetime.combine(monday, time(9)), get_zone("Europe/Rome")).isoformat()


SLOT = next_monday_at_nine_in_rome()
FORM_URL = f"/book/consultation/details?start={SLOT.replace('+', '%2B')}&tz=Europe/Rome&duration=30"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Run each race on a file SQLite database and on PostgreSQL."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'race.db'}"


@pytest.fixture
def second_server(app, tmp_path, database_url):
    """A second, independent app on the same database (another web process)."""
    other = create_app(base_config(tmp_path, database_url))
    server = make_server("127.0.0.1", 0, other, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with other.app_context():
        db.engine.dispose()


def post_at_once(base_urls: list[str]) -> list[httpx.Response]:
    """Open the form in every client, then post all of them together."""
    barrier = threading.Barrier(CLIENTS)

    def one_client(number: int) -> httpx.Response:
        with httpx.Client(base_url=base_urls[number % len(base_urls)], timeout=60) as http:
            token = csrf_from(http.get(FORM_URL).text)
            barrier.wait()
            return http.post("/book/consultation/details", data={
                "csrf_token": token, "start": SLOT, "tz": "Europe/Rome", "duration": "30",
                "client_name": f"Client {number}", "client_email": f"c{number}@example.com",
                "meeting_provider": "jitsi"})

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(one_client, range(CLIENTS)))


def test_twenty_simultaneous_posts_make_exactly_one_booking(app, live_server, second_server):
    responses = post_at_once([live_server, second_server])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [303] + [409] * (CLIENTS - 1)
    assert all("just taken" in r.text for r in responses if r.status_code == 409)
    db.session.remove()
    bookings = db.session.scalars(db.select(Booking)).all()
    assert len(bookings) == 1
    assert re.fullmatch(r"Client \d+", bookings[0].client_name)
