"""Busy intervals without our own events: cutting intervals out, and knowing our events by UID."""
from datetime import datetime, timedelta, timezone

import pytest
from icalendar import Event

from webapp.calendars.busy import BusyOptions, is_own_event, without

T = datetime(2026, 12, 2, 9, tzinfo=timezone.utc)


def at(hours: float) -> datetime:
    """Return T plus some hours."""
    return T + timedelta(hours=hours)


@pytest.mark.parametrize(("busy", "cut", "left"), [
    ([(0, 2)], [], [(0, 2)]),
    ([(0, 2)], [(0, 2)], []),
    ([(0, 2)], [(0.5, 1)], [(0, 0.5), (1, 2)]),
    ([(0, 2)], [(-1, 0.5), (1.5, 3)], [(0.5, 1.5)]),
    ([(0, 1), (2, 3)], [(0.5, 2.5)], [(0, 0.5), (2.5, 3)]),
    ([(0, 1)], [(1, 2)], [(0, 1)]),
])
def test_without_cuts_the_given_intervals_out(busy, cut, left):
    def span(pairs):
        return [(at(s), at(e)) for s, e in pairs]
    assert without(span(busy), span(cut)) == span(left)


def event(uid: str) -> Event:
    """Return an event with a UID."""
    found = Event()
    found.add("uid", uid)
    return found


@pytest.mark.parametrize(("uid", "own"), [
    ("studiocentos-booking-ref-0123", True),
    ("ref-0123456789abcdef0123456789abcdef@studio.example", True),
    ("REF-0123456789ABCDEF0123456789ABCDEF@Studio.Example", True),
    ("ref-0123456789abcdef0123456789abcdef@dentist.example", False),
    ("ref-0123@studio.example", False),
    ("abc123@google.com", True),
    ("xyz@google.com", False),
])
def test_own_events_are_known_by_uid(uid, own):
    options = BusyOptions(invite_domain="studio.example", own_uids=frozenset({"abc123@google.com"}))
    assert is_own_event(event(uid), options) is own


def test_invites_are_nobody_s_without_a_domain():
    assert not is_own_event(event("ref-0123456789abcdef0123456789abcdef@studio.example"))
