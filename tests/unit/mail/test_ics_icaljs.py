"""The .ics invites as ical.js (the parser behind many web calendars) reads them."""
import json
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from webapp.mail.ics import build_calendar
from webapp.mail.references import booking_reference

SCRIPT = Path(__file__).with_name("parse_ics.mjs")
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def _read_with_icaljs(tmp_path, data: bytes) -> dict:
    path = tmp_path / "invite.ics"
    path.write_bytes(data)
    done = subprocess.run([NODE, str(SCRIPT), str(path)], capture_output=True, text=True,
                          timeout=30)
    # Node present but ical.js missing is a broken setup, not a reason to skip: run `npm ci`.
    assert done.returncode == 0, f"ical.js could not parse (is `npm ci` done?): {done.stderr}"
    return json.loads(done.stdout)


def _build(booking, method: str) -> bytes:
    return build_calendar(booking, method=method, organizer_email="noreply@studiocentos.it",
                          organizer_name="StudiocentOS", business_timezone="Europe/Rome", now=NOW)


def test_icaljs_reads_request_with_uid_sequence_and_utc_start_across_dst(tmp_path, make_booking):
    start = datetime(2026, 3, 30, 7, 0, tzinfo=timezone.utc)  # 09:00 in Rome, the day after DST
    parsed = _read_with_icaljs(tmp_path, _build(make_booking(scheduled_at=start, version=3),
                                                "REQUEST"))
    assert parsed["method"] == "REQUEST"
    assert parsed["events"] == 1
    assert parsed["uid"] == f"{booking_reference('bk_Q2xpZW50VWlk')}@studiocentos.it"
    assert parsed["sequence"] == 3
    assert parsed["attendees"] == ["mailto:ada@example.com"]
    assert parsed["organizer"] == "mailto:noreply@studiocentos.it"
    assert parsed["start_zone"] == "Europe/Rome"
    assert parsed["start_utc"] == "2026-03-30T07:00:00.000Z"
    assert parsed["end_utc"] == "2026-03-30T08:00:00.000Z"


def test_icaljs_reads_cancel_with_same_uid_and_higher_sequence(tmp_path, make_booking):
    invite = _read_with_icaljs(tmp_path, _build(make_booking(version=0), "REQUEST"))
    cancel = _read_with_icaljs(tmp_path, _build(make_booking(version=1), "CANCEL"))
    assert cancel["method"] == "CANCEL"
    assert cancel["status"] == "CANCELLED"
    assert cancel["uid"] == invite["uid"]
    assert cancel["sequence"] > invite["sequence"]


def test_icaljs_keeps_injected_lines_inside_the_summary(tmp_path, make_booking):
    title = "Hi\r\nATTENDEE:mailto:evil@example.com\r\nEND:VEVENT"
    parsed = _read_with_icaljs(tmp_path, _build(make_booking(title=title), "REQUEST"))
    assert parsed["events"] == 1
    assert parsed["attendees"] == ["mailto:ada@example.com"]
    assert parsed["summary"] == "Hi\nATTENDEE:mailto:evil@example.com\nEND:VEVENT"
