"""The README's and the seed's API examples work whenever they are run: the real clock, future dates."""
import json
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.integration.api.conftest import API, SEED_AVAILABILITY, SEED_BOOKING
from tests.integration.api.test_seed_contract import SEED_PYTHON_EXAMPLE, run_python_example

README = Path(__file__).resolve().parents[3] / "README.md"
#: the weekday of the seed's example booking (Wednesday 5 November 2025)
SEED_DAY = date(2025, 11, 5)
SEED_DATE = re.compile(r"^\d{4}-\d\d-\d\d")


@pytest.fixture
def app_config() -> dict:
    """The real clock: these examples must not depend on the day the tests run."""
    return {}


def coming_seed_weekday() -> date:
    """The first day like the seed's (a Wednesday) at least three days from today."""
    soonest = date.today() + timedelta(days=3)
    return soonest + timedelta(days=(SEED_DAY.weekday() - soonest.weekday()) % 7)


def moved(body: dict, to: date) -> dict:
    """Return the seed's `body` with every date moved by whole weeks, from its day to `to`."""
    shift = to - SEED_DAY

    def move(value):
        """Shift the date at the start of a string value; leave anything else alone."""
        if not (isinstance(value, str) and SEED_DATE.match(value)):
            return value
        return (date.fromisoformat(value[:10]) + shift).isoformat() + value[10:]

    return {key: move(value) for key, value in body.items()}


def readme_availability_example() -> str:
    """Return the README's shell example that asks for availability."""
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(), re.S)
    return next(block for block in blocks if "/calendar/availability" in block)


def test_the_readme_availability_example_finds_free_times_today(live_server):
    if not (shutil.which("bash") and shutil.which("curl")):
        pytest.skip("the README example needs bash and curl")
    script = readme_availability_example().replace("http://127.0.0.1:5000", live_server)
    run = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30)
    days = json.loads(run.stdout)["availability"]
    assert days[0]["date"] == date.today().isoformat() and len(days) == 8
    assert sum(day["total_available"] for day in days) > 0


def test_the_seed_examples_book_and_cancel_a_coming_day(client):
    day = coming_seed_weekday()
    availability = client.post(f"{API}/calendar/availability", json=moved(SEED_AVAILABILITY, day))
    assert availability.status_code == 200
    slots = availability.json["availability"][0]["slots"]
    assert len(slots) == 16 and slots[0]["datetime"] == f"{day}T09:00:00"
    created = client.post(f"{API}/bookings", json=moved(SEED_BOOKING, day))
    assert created.status_code == 201 and created.json["scheduled_at"] == f"{day}T09:00:00"
    uid = created.json["uid"]
    assert client.get(f"{API}/bookings/{uid}").json["status"] == "pending"
    cancelled = client.post(f"{API}/bookings/{uid}/cancel",
                            json={"cancellation_reason": "Cliente ha cambiato idea"})
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert client.get(f"{API}/health").json["status"] == "healthy"


def test_the_seed_python_example_books_a_coming_day(live_server, capsys):
    day = coming_seed_weekday()
    code = SEED_PYTHON_EXAMPLE.replace(SEED_DAY.isoformat(), day.isoformat())
    availability, booking = run_python_example(code, live_server)
    assert len(availability["availability"]) == 8  # now .. now + 7 days
    assert booking["status"] == "pending" and booking["scheduled_at"] == f"{day}T09:00:00"
    assert capsys.readouterr().out.startswith("Meeting URL: ")
