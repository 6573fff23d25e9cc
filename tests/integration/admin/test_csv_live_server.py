"""The CSV export streams every row under a real server (no test client keeping a context open)."""
import csv
import io
from datetime import datetime, timedelta, timezone

import httpx

from tests.conftest import csrf_from
from tests.factories import build_booking
from tests.integration.admin.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from webapp.extensions import db

#: more than one `yield_per` batch of the export's query
ROWS = 1203


def test_a_logged_in_admin_downloads_the_complete_csv(live_server, admin_user):
    first = datetime(2030, 1, 1, 9, tzinfo=timezone.utc)
    db.session.add_all(build_booking(client_name=f"Client {n:04d}", manage_token_hash=f"hash-{n}",
                                     scheduled_at=first + timedelta(hours=n))
                       for n in range(ROWS))
    db.session.commit()
    with httpx.Client(base_url=live_server, timeout=30) as browser:
        token = csrf_from(browser.get("/admin/login").text)
        login = browser.post("/admin/login", data={"csrf_token": token, "email": ADMIN_EMAIL,
                                                   "password": ADMIN_PASSWORD})
        assert login.status_code == 303
        response = browser.get("/admin/bookings.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == ROWS
    assert {row["client_name"] for row in rows} == {f"Client {n:04d}" for n in range(ROWS)}
