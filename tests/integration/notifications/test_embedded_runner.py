"""Without REDIS_URL the app performs its jobs in process and writes .eml files."""
import email
import email.policy
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.integration.notifications.support import ADMIN, CLIENT, book, rows, wait_until, weekday_at
from webapp import outbox
from webapp.extensions import db
from webapp.models import Booking


@pytest.fixture
def app_config():
    """No Redis and no mail server: the runner starts itself and mail goes to files."""
    return {"REDIS_URL": None, "MAIL_SERVER": "", "JOBS_AUTOSTART": True,
            "ADMIN_EMAIL": ADMIN, "SWEEP_INTERVAL_SECONDS": 1}


@pytest.fixture
def runner(app):
    """The app's in-process runner, stopped (its jobs finished) after the test."""
    jobs = outbox.runner(app)
    assert isinstance(jobs, outbox.EmbeddedRunner)
    yield jobs
    jobs.stop()


def _mail_files(app) -> list[email.message.EmailMessage]:
    """Return the .eml files written so far, parsed."""
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(Path(app.config["MAIL_DIR"]).glob("*.eml"))]


def test_a_booking_without_redis_is_confirmed_and_its_emails_land_in_the_mail_dir(app, runner):
    now = datetime.now(timezone.utc)
    booking = book(weekday_at(10, 3, now), now)

    wait_until(lambda: db.session.get(Booking, booking.id).status == "confirmed",
               what="the automatic confirmation")
    wait_until(lambda: len(_mail_files(app)) == 2, what="two .eml files")
    runner.stop()

    by_recipient = {m["To"]: m["Subject"] for m in _mail_files(app)}
    assert by_recipient[CLIENT].startswith("Confirmed:")
    assert by_recipient[ADMIN].startswith("New booking")
    assert {r.status for r in rows() if r.kind != "reminder"} == {"sent"}


def test_the_runner_stays_idle_under_testing_unless_asked(tmp_path, app_config):
    from tests.conftest import base_config
    from webapp import create_app

    quiet = create_app({**base_config(tmp_path, f"sqlite:///{tmp_path / 'q.db'}"), "REDIS_URL": None})
    jobs = outbox.runner(quiet)
    jobs.enqueue([1])
    assert jobs._executor is None
