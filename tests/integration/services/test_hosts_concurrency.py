"""PostgreSQL: per-host locks; fifty clients booking one slot of a three-host round-robin type get three."""
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from tests.factories import book
from tests.integration.services.test_hosts import NINE_ROME, NOW, add_host, service_with
from webapp.database import CALENDAR_LOCK_KEY
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


def test_a_booking_of_one_host_does_not_wait_for_another_hosts_lock(app):
    ada, bea = add_host("Ada"), add_host("Bea")
    service_with([ada, bea], "client_chooses")
    dsn = app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", (CALENDAR_LOCK_KEY, ada.id))  # Ada's writer is busy
        outcome = []
        writer = threading.Thread(target=lambda: outcome.append(_book_in(app, "bea")), daemon=True)
        writer.start()
        writer.join(20)
        assert not writer.is_alive(), "Bea's booking waited for Ada's lock"
        blocked = threading.Thread(target=lambda: outcome.append(_book_in(app, "ada")), daemon=True)
        blocked.start()
        blocked.join(1)
        assert blocked.is_alive(), "Ada's booking did not wait for Ada's lock"
        other.execute("SELECT pg_advisory_unlock(%s, %s)", (CALENDAR_LOCK_KEY, ada.id))
        blocked.join(20)
    assert outcome == ["bea", "ada"]


def _book_in(app, host: str) -> str:
    """Book NINE_ROME with `host` in a fresh app context; return the host's slug."""
    with app.app_context():
        try:
            return book(NINE_ROME, NOW, service_type="team", host=host).booking.hosts[0].slug
        finally:
            db.session.remove()
