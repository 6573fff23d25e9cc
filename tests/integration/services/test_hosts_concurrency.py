"""Fifty clients booking one slot of a three-host round-robin type at once on PostgreSQL get three bookings."""
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.factories import book
from tests.integration.services.test_hosts import NINE_ROME, NOW, add_host, service_with
from webapp.extensions import db
from webapp.models import Booking
from webapp.models.host import ROUND_ROBIN
from webapp.services.errors import SlotTaken

CLIENTS = 50


@pytest.fixture
def database_url(postgres_url):
    """The per-host advisory locks and exclusion constraint are PostgreSQL's."""
    return postgres_url


def book_at_once(app) -> list[str]:
    """Book the same start from CLIENTS threads released together; return each outcome."""
    barrier = threading.Barrier(CLIENTS)

    def one_client(number: int) -> str:
        with app.app_context():
            barrier.wait()
            try:
                created = book(NINE_ROME, NOW, service_type="team", client_email=f"c{number}@example.com")
                return created.booking.hosts[0].slug
            except SlotTaken:
                return "taken"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(one_client, range(CLIENTS)))


def test_fifty_simultaneous_bookings_fill_each_host_once(app):
    service_with([add_host(name) for name in ("Ada", "Bea", "Cy")], ROUND_ROBIN)
    outcomes = Counter(book_at_once(app))
    assert outcomes == {"ada": 1, "bea": 1, "cy": 1, "taken": CLIENTS - 3}
    db.session.remove()
    stored = db.session.scalars(db.select(Booking)).all()
    assert sorted(host.slug for booking in stored for host in booking.hosts) == ["ada", "bea", "cy"]
