"""Erasure reaches the events written into outside calendars (Radicale, Google and Graph stubs).

When a booking's personal data is erased (the retention sweep, or the admin's erasure of an
address), each of its events is reworded through the outbox to the service's name alone:
same time, same UID, the owner's own edits kept, nothing else touched; a cancelled booking's
leftover event is removed; the outbox rows hold no personal data.
"""
import copy
from datetime import timedelta

import pytest
from icalendar import Calendar

from tests.conftest import csrf_from
from tests.factories import book
from tests.integration.admin.conftest import log_in
from tests.integration.calendars.support import (
    BOOKED_AT,
    NOW,
    PAST,
    START,
    TEAM,
    WORK,
    account_source,
    caldav_source,
    run_calendar_rows,
    written,
)
from webapp.calendars.busy import OWN_EVENT_PROPERTY
from webapp.extensions import db
from webapp.models import OutboxMessage, WrittenEvent
from webapp.outbox.kinds import Kind, Status
from webapp.outbox.sweep import sweep
from webapp.services import calendar_sources
from webapp.services.admin_accounts import create_admin
from webapp.services.privacy import ERASURE_WAIT, erase_for_email
from webapp.services.settings import save_settings

ADA = {"client_name": "Ada Lovelace", "client_email": "ada@example.com", "client_phone": "+39 06 1234567",
       "client_notes": "second floor, ring twice"}


@pytest.fixture
def app_config(accounts_config):
    """Freeze the clock; point Google and Microsoft at their stubs."""
    return accounts_config


def raw_events(calendar) -> dict[str, str]:
    """Return the Radicale calendar's events by UID, as the server stores them (DTSTAMP left out)."""
    found = {}
    for resource in calendar.events():
        for event in Calendar.from_ical(resource.data).walk("VEVENT"):
            event.pop("DTSTAMP")
            found[str(event["UID"])] = event
    return found


def rows_of(booking_id: int) -> list[OutboxMessage]:
    """Return the booking's outbox rows, read fresh."""
    db.session.rollback()
    return list(db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.booking_id == booking_id)
                                   .order_by(OutboxMessage.id)))


def assert_no_personal_data(booking_id: int) -> None:
    """Check that no outbox row of the booking holds Ada's name, address, phone or notes."""
    for row in rows_of(booking_id):
        stored = f"{row.payload} {row.recipient} {row.last_error}"
        assert not any(value in stored for value in (*ADA.values(), "Ada", "ada@")), (row.kind, stored)


def erase_through_the_admin(client, email: str) -> None:
    """Erase an address as the admin does: the form, the confirmation step, the confirmed post."""
    create_admin("admin@studio.example", "correct horse battery")
    assert log_in(client).status_code == 303
    token = csrf_from(client.get("/admin/privacy").get_data(as_text=True))
    step = client.post("/admin/privacy/erase", data={"csrf_token": token, "email": email})
    assert step.status_code == 200
    done = client.post("/admin/privacy/erase", data={"csrf_token": csrf_from(step.get_data(as_text=True)),
                                                     "email": email, "confirmed": "yes"})
    assert done.status_code == 303


# -- CalDAV (Radicale) --------------------------------------------------------------------------

def test_the_retention_sweep_rewords_the_event_and_keeps_everything_else(app, caldav_calendar, radicale):
    caldav_source(radicale, write_calendar="Work")
    old = book(START, NOW, **ADA).booking
    kept = book(START + timedelta(days=1), NOW).booking  # Mario, the next day
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_PUT] == Status.SENT
    [uid] = [uid for uid, event in raw_events(caldav_calendar).items() if "Ada" in event["SUMMARY"]]
    # the owner adds a place to Ada's event in their calendar app
    resource = caldav_calendar.event_by_uid(uid)
    resource.icalendar_component.add("location", "Room 2")
    resource.save()
    before = raw_events(caldav_calendar)

    save_settings(retention_days=30)
    later = START + timedelta(days=31)  # past the 30 days for Ada's booking, not for Mario's
    sweep(later)
    assert run_calendar_rows(later) == {Kind.CALENDAR_EVENT_ANONYMISE: Status.SENT}

    after = raw_events(caldav_calendar)
    assert set(after) == set(before)
    event = after[uid]
    assert str(event["SUMMARY"]) == "Consultation"
    assert not any(value in event.to_ical().decode() for value in (*ADA.values(), "Ada", "ada@"))
    for name in ("DTSTART", "DTEND", "SEQUENCE", "LOCATION", OWN_EVENT_PROPERTY):
        assert event[name] == before[uid][name], name
    assert str(event["DESCRIPTION"]) == str(before[uid]["DESCRIPTION"])  # it named nobody before either
    [other] = [u for u in after if u != uid]
    assert after[other].to_ical() == before[other].to_ical(), "Mario's event is untouched"
    assert "Mario Rossi" in str(after[other]["SUMMARY"])

    [row] = [r for r in rows_of(old.id) if r.kind == Kind.CALENDAR_EVENT_ANONYMISE]
    assert row.recipient == "outside calendars" and set(row.payload) == {"version", "source_id"}
    assert_no_personal_data(old.id)
    assert not [r for r in rows_of(kept.id) if r.kind == Kind.CALENDAR_EVENT_ANONYMISE]

    sweep(later)  # a second sweep finds nothing more to do
    assert run_calendar_rows(later) == {}


def test_a_cancelled_booking_whose_removal_never_went_through_is_removed_at_erasure(app, caldav_calendar, radicale):
    caldav_source(radicale, write_calendar="Work")
    booking = book(START, NOW, **ADA).booking
    run_calendar_rows()
    assert len(raw_events(caldav_calendar)) == 1

    erase_for_email("ada@example.com", NOW)  # ahead: cancelled first; its calendar removal never runs
    later = NOW + ERASURE_WAIT + timedelta(hours=1)
    sweep(later)  # the erasure stops waiting for the cancellation's rows
    assert run_calendar_rows(later) == {Kind.CALENDAR_EVENT_ANONYMISE: Status.SENT}
    assert raw_events(caldav_calendar) == {}
    kinds = {row.kind: row.status for row in rows_of(booking.id)}
    assert kinds[Kind.CALENDAR_EVENT_DELETE] == Status.SKIPPED
    assert db.session.scalar(db.select(WrittenEvent).where(WrittenEvent.booking_id == booking.id)) is None
    assert_no_personal_data(booking.id)


def test_a_booking_cancelled_before_its_erasure_leaves_nothing_to_reword(app, caldav_calendar, radicale):
    caldav_source(radicale, write_calendar="Work")
    booking = book(START, NOW, **ADA).booking
    run_calendar_rows()
    erase_for_email("ada@example.com", NOW)
    assert run_calendar_rows()[Kind.CALENDAR_EVENT_DELETE] == Status.SENT
    sweep(NOW)  # the cancellation email is still waiting: not erased yet
    db.session.execute(db.update(OutboxMessage).where(OutboxMessage.status == Status.PENDING)
                       .values(status=Status.SENT))  # the worker sent the emails
    db.session.commit()
    sweep(NOW)
    assert [row for row in rows_of(booking.id) if row.kind == Kind.CALENDAR_EVENT_ANONYMISE] == []
    assert raw_events(caldav_calendar) == {}


# -- Google and Microsoft 365 -------------------------------------------------------------------

def test_the_admins_erasure_rewords_the_google_event_and_keeps_a_deleted_one_deleted(server_like_client, google):
    account_source("google", [TEAM], TEAM)
    past = book(PAST, BOOKED_AT, **ADA).booking
    deleted = book(PAST + timedelta(hours=1), BOOKED_AT, **ADA).booking
    bea = book(START, NOW, client_name="Bea Bianchi", client_email="bea@example.com").booking
    run_calendar_rows(BOOKED_AT)
    run_calendar_rows()
    ada_id, deleted_id, bea_id = (written(b.id).event_id for b in (past, deleted, bea))
    google.events[deleted_id]["status"] = "cancelled"  # the owner deleted it in Google
    before = copy.deepcopy(google.events)
    calls_before = len(google.requests)

    erase_through_the_admin(server_like_client, "ada@example.com")
    outcomes = run_calendar_rows()
    assert outcomes == {Kind.CALENDAR_EVENT_ANONYMISE: Status.SENT}

    patches = [call for call in google.requests[calls_before:] if call.path != "/freeBusy"]
    assert {call.method for call in patches} == {"PATCH"} and len(patches) == 2
    assert all(set(call.json()) == {"summary", "description"} for call in patches)
    assert all(call.query == {"sendUpdates": "none"} for call in patches)
    event = google.events[ada_id]
    assert event["summary"] == "Consultation" and "Ada" not in event["description"]
    unchanged = {key: value for key, value in event.items() if key not in ("summary", "updated")}
    assert unchanged == {key: value for key, value in before[ada_id].items() if key not in ("summary", "updated")}
    assert google.events[deleted_id]["status"] == "cancelled", "an event the owner deleted stays deleted"
    assert google.events[bea_id] == before[bea_id]
    assert_no_personal_data(past.id)


def test_the_retention_sweep_rewords_the_microsoft_event(app, microsoft):
    account_source("microsoft", [microsoft.mailbox], WORK)
    booking = book(START, NOW, **ADA).booking
    other = book(START + timedelta(days=1), NOW).booking
    run_calendar_rows()
    ada_id, other_id = written(booking.id).event_id, written(other.id).event_id
    before = copy.deepcopy(microsoft.events)

    save_settings(retention_days=30)
    later = START + timedelta(days=31)
    sweep(later)
    assert run_calendar_rows(later) == {Kind.CALENDAR_EVENT_ANONYMISE: Status.SENT}

    [patch] = microsoft.calls("PATCH")
    assert patch.path.startswith("/me/events/") and set(patch.json()) == {"subject", "body"}
    event = microsoft.events[ada_id]
    assert event["subject"] == "Consultation" and "Ada" not in event["body"]["content"]
    assert (event["start"], event["end"], event["showAs"]) == (
        before[ada_id]["start"], before[ada_id]["end"], before[ada_id]["showAs"])
    assert microsoft.calendar_of[ada_id] == WORK and microsoft.events[other_id] == before[other_id]
    assert written(booking.id).event_id == ada_id
    assert_no_personal_data(booking.id)


def test_an_event_the_owner_deleted_is_forgotten_not_made_again(app, microsoft):
    account_source("microsoft", [], "default")
    booking = book(START, NOW, **ADA).booking
    run_calendar_rows()
    microsoft.events.clear()  # deleted in Outlook

    save_settings(retention_days=30)
    later = START + timedelta(days=31)
    sweep(later)
    assert run_calendar_rows(later) == {Kind.CALENDAR_EVENT_ANONYMISE: Status.SENT}
    assert microsoft.events == {} and written(booking.id) is None
    assert [call.method for call in microsoft.calls() if "/events" in call.path][-1] == "PATCH"


def test_a_paused_source_is_reworded_too(app, microsoft):
    source = account_source("microsoft", [], "default")
    booking = book(START, NOW, **ADA).booking
    run_calendar_rows()
    source.is_active = False  # the admin paused it: it neither reads nor takes new bookings
    db.session.commit()

    save_settings(retention_days=30)
    later = START + timedelta(days=31)
    sweep(later)
    assert run_calendar_rows(later) == {Kind.CALENDAR_EVENT_ANONYMISE: Status.SENT}
    assert microsoft.events[written(booking.id).event_id]["subject"] == "Consultation"


def test_an_erasure_keeps_a_waiting_removal_from_a_former_calendar(app, caldav_calendar, radicale):
    source = caldav_source(radicale, write_calendar="Work")
    booking = book(PAST, BOOKED_AT, **ADA).booking
    run_calendar_rows(BOOKED_AT)
    calendar_sources.update_source(source.id, host_id=source.host_id, kind="caldav", name="Work", url=radicale,
                                   username=source.username, password=None, calendars=["Work"],
                                   write_calendar=None, all_day_blocks=True, tentative_busy=True, is_active=True)
    [waiting] = [row for row in rows_of(booking.id) if row.kind == Kind.CALENDAR_EVENT_WITHDRAW]

    erase_for_email("ada@example.com", NOW)  # before the worker removed the event from "Work"
    assert run_calendar_rows() == {Kind.CALENDAR_EVENT_WITHDRAW: Status.SENT}
    assert raw_events(caldav_calendar) == {}
    statuses = {row.id: row.status for row in rows_of(booking.id) if row.kind == Kind.CALENDAR_EVENT_WITHDRAW}
    assert statuses.pop(waiting.id) == Status.SKIPPED and list(statuses.values()) == [Status.SENT]
    assert_no_personal_data(booking.id)
