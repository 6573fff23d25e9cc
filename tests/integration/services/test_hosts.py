"""Several hosts: own hours per host, round-robin fairness, collective meetings, no double booking per host."""
from collections import Counter
from datetime import datetime, time, timedelta, timezone

import pytest

from tests.factories import book, create_block, create_rule, create_service_type
from webapp.extensions import db
from webapp.models import Host
from webapp.models.host import COLLECTIVE, ROUND_ROBIN
from webapp.services.availability import find_availability, get_service_type
from webapp.services.availability_admin import save_rule
from webapp.services.bookings import reschedule_booking
from webapp.services.errors import SlotTaken, ValidationFailed
from webapp.services.hosts import save_host, set_service_hosts

NOW = datetime(2030, 1, 1, 8, tzinfo=timezone.utc)
MONDAY = datetime(2030, 1, 7, tzinfo=timezone.utc)  # a Monday
NINE_ROME = MONDAY + timedelta(hours=8)  # 09:00 in Rome (CET)


def add_host(name: str, zone: str = "Europe/Rome", **fields) -> Host:
    """Store a host with Monday-Friday 09:00-12:00 hours in their own zone for the types used here."""
    host = save_host(name=name, email=f"{name.lower()}@studio.example", timezone=zone, **fields)
    for key in ("team", "solo", "consultation"):
        for day in range(5):
            create_rule(host_id=host.id, service_type=key, day_of_week=day, start_time=time(9),
                        end_time=time(12))
    return host


def service_with(hosts: list[Host], assignment: str, key: str = "team"):
    """Store a 30-minute type given by `hosts` with the assignment mode."""
    create_service_type(key=key)
    return set_service_hosts(key, [host.id for host in hosts], assignment)


def monday_starts(service, host: Host | None = None) -> list[datetime]:
    """Return the free starts of `service` on Monday."""
    found = find_availability([get_service_type(service.key)], MONDAY, MONDAY + timedelta(days=1), NOW,
                              host=host)
    return [slot.start for slot in found.slots[service.key]]


def test_each_host_offers_their_own_hours_in_their_own_zone(app):
    rome, london = add_host("Ada", "Europe/Rome"), add_host("Bea", "Europe/London")
    service = service_with([rome, london], ROUND_ROBIN)
    assert monday_starts(service, rome)[0] == NINE_ROME
    assert monday_starts(service, london)[0] == NINE_ROME + timedelta(hours=1)  # 09:00 London = 09:00 UTC
    # anyone: the union, 08:00 to 11:30 UTC
    combined = monday_starts(service)
    assert combined[0] == NINE_ROME and combined[-1] == NINE_ROME + timedelta(hours=3, minutes=30)


def test_round_robin_balances_bookings_over_a_week(app):
    hosts = [add_host(name) for name in ("Ada", "Bea", "Cy")]
    service_with(hosts, ROUND_ROBIN)
    created = [book(NINE_ROME + timedelta(days=day, minutes=30 * n), NOW, service_type="team")
               for day in range(5) for n in range(6)]
    per_host = Counter(c.booking.hosts[0].slug for c in created)
    assert sorted(per_host.values()) == [10, 10, 10]


def test_round_robin_prefers_higher_priority_when_counts_tie(app):
    low, high = add_host("Ada"), add_host("Bea", priority=5)
    service_with([low, high], ROUND_ROBIN)
    assert book(NINE_ROME, NOW, service_type="team").booking.hosts[0].id == high.id
    assert book(NINE_ROME + timedelta(minutes=30), NOW, service_type="team").booking.hosts[0].id == low.id


def test_same_time_books_every_host_then_is_taken(app):
    hosts = [add_host(name) for name in ("Ada", "Bea", "Cy")]
    service_with(hosts, ROUND_ROBIN)
    booked = {book(NINE_ROME, NOW, service_type="team").booking.hosts[0].slug for _ in range(3)}
    assert booked == {"ada", "bea", "cy"}
    assert NINE_ROME not in monday_starts(get_service_type("team"))
    with pytest.raises(SlotTaken):
        book(NINE_ROME, NOW, service_type="team")


def test_a_named_host_is_booked_and_cannot_be_booked_twice(app):
    ada, bea = add_host("Ada"), add_host("Bea")
    service_with([ada, bea], "client_chooses")
    assert book(NINE_ROME, NOW, service_type="team", host="bea").booking.hosts[0].id == bea.id
    with pytest.raises(SlotTaken):
        book(NINE_ROME, NOW, service_type="team", host="bea")
    assert book(NINE_ROME, NOW, service_type="team", host=ada.id).booking.hosts[0].id == ada.id


def test_a_host_who_does_not_give_the_type_is_refused(app):
    ada, bea = add_host("Ada"), add_host("Bea")
    service_with([ada], "client_chooses")
    with pytest.raises(ValidationFailed) as refused:
        book(NINE_ROME, NOW, service_type="team", host=bea.slug)
    assert "host" in refused.value.fields


def test_collective_offers_only_common_free_times_and_holds_everyone(app):
    ada, bea = add_host("Ada"), add_host("Bea")
    create_block(host_id=bea.id, blocked_date=MONDAY.date(), all_day=False, start_time=time(9),
                 end_time=time(10))
    service = service_with([ada, bea], COLLECTIVE)
    starts = monday_starts(service)
    assert starts[0] == NINE_ROME + timedelta(hours=1)  # Bea is blocked 09:00-10:00
    created = book(starts[0], NOW, service_type="team").booking
    assert {host.id for host in created.hosts} == {ada.id, bea.id}
    # Ada's own consultation at that time is now impossible: the collective meeting holds her
    consultation = service_with([ada], "client_chooses", key="solo")
    assert starts[0] not in monday_starts(consultation)


def test_collective_refuses_a_time_one_host_is_busy(app):
    ada, bea = add_host("Ada"), add_host("Bea")
    service_with([ada, bea], COLLECTIVE)
    set_service_hosts("consultation", [bea.id], "client_chooses")
    book(NINE_ROME, NOW, service_type="consultation")
    assert NINE_ROME not in monday_starts(get_service_type("team"))
    with pytest.raises(SlotTaken):
        book(NINE_ROME, NOW, service_type="team")


def test_default_host_keeps_the_single_calendar(app):
    """The default types, without named hosts, behave as before: one booking per time."""
    book(NINE_ROME, NOW)
    with pytest.raises(SlotTaken):
        book(NINE_ROME, NOW, service_type="demo")
    db.session.remove()


def test_a_moved_booking_keeps_its_host_and_is_offered_only_their_times(app):
    ada, bea = add_host("Ada"), add_host("Bea")
    service = service_with([ada, bea], ROUND_ROBIN)
    moving = book(NINE_ROME, NOW, service_type="team").booking
    assert moving.hosts[0].id == ada.id
    ten = NINE_ROME + timedelta(hours=1)
    book(ten, NOW, service_type="team", host="ada")
    found = find_availability([get_service_type("team")], MONDAY, MONDAY + timedelta(days=1), NOW,
                              exclude_booking_id=moving.id)
    assert ten not in [slot.start for slot in found.slots[service.key]]  # Ada is busy, Bea is not
    with pytest.raises(SlotTaken):
        reschedule_booking(moving.id, ten, NOW)
    moved = reschedule_booking(moving.id, ten + timedelta(minutes=30), NOW)
    assert [host.id for host in moved.hosts] == [ada.id]
    assert [link.scheduled_at for link in moved.host_links] == [ten + timedelta(minutes=30)]


def test_rules_overlap_only_within_one_host(app):
    bea = save_host(name="Bea", email="bea@studio.example", timezone="Europe/Rome")
    monday_morning = dict(service_type="consultation", day_of_week=0, start_time=time(9),
                          end_time=time(12), slot_duration=30)
    assert save_rule(**monday_morning, host_id=bea.id).host_id == bea.id  # the default host has 9-17 too
    with pytest.raises(ValidationFailed):
        save_rule(**monday_morning, host_id=bea.id)
    with pytest.raises(ValidationFailed):
        save_rule(**monday_morning)  # the default host's own rule


def test_a_type_whose_hosts_are_all_inactive_offers_nothing(app):
    ada = add_host("Ada")
    service = service_with([ada], ROUND_ROBIN)
    assert monday_starts(service)
    save_host(name="Ada", email="ada@studio.example", timezone="Europe/Rome", active=False, host_id=ada.id)
    assert monday_starts(service) == []  # not the default host's hours instead
