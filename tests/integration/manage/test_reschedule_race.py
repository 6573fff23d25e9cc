"""A reschedule racing another client's booking of the same new slot: one wins, the other is untouched."""
import threading
from datetime import date

import httpx
import pytest

from tests.conftest import csrf_from
from tests.integration.manage.conftest import rome
from webapp.extensions import db
from webapp.models import Booking

#: (day, hour, minute) of each contested slot, one race per slot
SLOTS = [(date(2026, 12, 1), 15, 30), (date(2026, 12, 2), 10, 0), (date(2026, 12, 3), 11, 0),
         (date(2026, 12, 4), 14, 0)]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Race on a file SQLite database and on PostgreSQL."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'race.db'}"


def race(base_url: str, token: str, start: str) -> tuple[httpx.Response, httpx.Response]:
    """Post the owner's reschedule and a stranger's booking of `start` at the same moment."""
    barrier = threading.Barrier(2)
    results = {}

    def move():
        with httpx.Client(base_url=base_url, timeout=60) as http:
            csrf = csrf_from(http.get(f"/manage/{token}/cancel").text)
            barrier.wait()
            results["move"] = http.post(f"/manage/{token}/reschedule", data={
                "csrf_token": csrf, "start": start, "tz": "Europe/Rome", "duration": "30"})

    def book():
        with httpx.Client(base_url=base_url, timeout=60) as http:
            form = http.get("/book/consultation/details",
                            params={"start": start, "tz": "Europe/Rome", "duration": "30"})
            barrier.wait()
            results["book"] = http.post("/book/consultation/details", data={
                "csrf_token": csrf_from(form.text), "start": start, "tz": "Europe/Rome",
                "duration": "30", "client_name": "Luigi Verdi", "client_email": "luigi@example.com",
                "meeting_provider": "jitsi"})

    threads = [threading.Thread(target=move), threading.Thread(target=book)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    return results["move"], results["book"]


def test_one_of_reschedule_and_new_booking_wins_the_slot(app, live_server, book):
    owner, token = book(rome(date(2026, 11, 30), 10))
    winners = []
    for day, hour, minute in SLOTS:
        db.session.rollback()  # end the read snapshot (SQLite WAL) to see the race's commits
        before = db.session.get(Booking, owner.id)
        before = (before.scheduled_at, before.ends_at, before.version)
        slot = rome(day, hour, minute)
        moved, booked = race(live_server, token, slot.isoformat())
        assert sorted([moved.status_code, booked.status_code]) == [303, 409]
        db.session.rollback()  # end the read snapshot (SQLite WAL) to see the race's commits
        at_slot = db.session.scalars(db.select(Booking).where(
            Booking.scheduled_at == slot, Booking.status.in_(("pending", "confirmed")))).all()
        assert len(at_slot) == 1
        stored = db.session.get(Booking, owner.id)
        if moved.status_code == 303:
            winners.append("reschedule")
            assert at_slot[0].id == owner.id and stored.version == before[2] + 1
        else:
            winners.append("new booking")
            assert at_slot[0].client_email == "luigi@example.com"
            assert "just taken" in moved.text
            assert (stored.scheduled_at, stored.ends_at, stored.version) == before
    print("winners:", winners)
