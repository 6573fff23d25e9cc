"""Several hosts' free times, combined: any host free (union) or every host free (intersection).

Each host's starts come from `slots.free_starts` with the host's own zone, rules, blocks and
busy time; the booking window stays the business zone's (`rule.py`), the same for every host.
"""
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from zoneinfo import ZoneInfo

from webapp.scheduling.rule import Refusal, booking_window
from webapp.scheduling.slots import free_starts, slots_from_starts, why_not_free
from webapp.scheduling.types import Block, Busy, BusySeconds, Limits, Slot, WeeklyRule


class Combine(Enum):
    """How several hosts' free times make a service's free times."""

    #: a start is free when any host is free (client chooses "anyone", round-robin)
    ANY = "any"
    #: a start is free when every host is free at once (collective meetings)
    ALL = "all"


@dataclass(frozen=True, slots=True)
class HostCalendar:
    """One host's engine inputs: rules and blocks in the host's zone, and their busy time."""

    host_id: int
    zone: ZoneInfo
    rules: list[WeeklyRule] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    busy: list[Busy | BusySeconds] = field(default_factory=list)


def starts_by_host(calendars: list[HostCalendar], *, limits: Limits, business_zone: ZoneInfo,
                   start: datetime, end: datetime, now: datetime) -> dict[int, set[int]]:
    """Return each host's free starts in [start, end) as UTC seconds, by host id."""
    window = booking_window(limits, business_zone, now)
    return {cal.host_id: free_starts(rules=cal.rules, blocks=cal.blocks, busy=cal.busy, limits=limits,
                                     zone=cal.zone, window=window, start=start, end=end)
            for cal in calendars}


def combine_starts(per_host: dict[int, set[int]], combine: Combine) -> set[int]:
    """Return the union (ANY) or intersection (ALL) of the hosts' starts; no host, no start."""
    sets = list(per_host.values())
    if not sets:
        return set()
    return set.union(*sets) if combine is Combine.ANY else set.intersection(*sets)


def combined_free_slots(calendars: list[HostCalendar], *, combine: Combine, limits: Limits,
                        business_zone: ZoneInfo, start: datetime, end: datetime,
                        now: datetime) -> list[Slot]:
    """Return the service's free slots in [start, end): the hosts' starts combined.

    The same answer as `combine_starts(starts_by_host(...))`, faster: for ANY a start one host
    already has is not checked again; for ALL only the starts every earlier host has are.
    """
    window = booking_window(limits, business_zone, now)
    combined: set[int] | None = None
    for cal in calendars:
        found = free_starts(rules=cal.rules, blocks=cal.blocks, busy=cal.busy, limits=limits, zone=cal.zone,
                            window=window, start=start, end=end,
                            skip=combined if combine is Combine.ANY and combined else frozenset(),
                            within=combined if combine is Combine.ALL else None)
        combined = found if combined is None else (combined | found if combine is Combine.ANY else found)
        if combine is Combine.ALL and not combined:
            break
    return slots_from_starts(combined or (), limits)


def refusals_by_host(slot_start: datetime, calendars: list[HostCalendar], *, limits: Limits,
                     business_zone: ZoneInfo, now: datetime) -> dict[int, Refusal | None]:
    """Return, by host id, why each host cannot take `slot_start` (None: that host is free)."""
    return {cal.host_id: why_not_free(slot_start, rules=cal.rules, blocks=cal.blocks, busy=cal.busy,
                                      limits=limits, zone=cal.zone, now=now, window_zone=business_zone)
            for cal in calendars}


def combined_refusal(refusals: dict[int, Refusal | None], combine: Combine) -> Refusal | None:
    """Return why the combination refuses a start: None if free, else the most telling reason.

    ANY is free when one host is; ALL when every host is. A refusal prefers TAKEN over
    NOT_OFFERED (someone's booking is in the way, so "just taken" is the honest answer);
    the window's own refusals are the same for every host.
    """
    answers = list(refusals.values())
    if not answers:
        return Refusal.NOT_OFFERED
    free = [answer is None for answer in answers]
    if any(free) if combine is Combine.ANY else all(free):
        return None
    reasons = [answer for answer in answers if answer is not None]
    return Refusal.TAKEN if Refusal.TAKEN in reasons else reasons[0]
