"""The availability engine: pure Python, no Flask, no SQLAlchemy, `now` passed in."""
from webapp.scheduling.hosts import (
    Combine,
    HostCalendar,
    combine_starts,
    combined_free_slots,
    combined_refusal,
    refusals_by_host,
    starts_by_host,
)
from webapp.scheduling.rule import BookingWindow, Refusal, booking_window
from webapp.scheduling.slots import free_slots, slots_from_starts, why_not_free
from webapp.scheduling.types import Block, Busy, BusySeconds, Limits, Slot, WeeklyRule
from webapp.scheduling.zones import (
    AmbiguousTimeError,
    NonexistentTimeError,
    get_zone,
    is_valid_zone,
    local_to_utc,
)

__all__ = [
    "AmbiguousTimeError", "Block", "BookingWindow", "Busy", "BusySeconds", "Combine", "HostCalendar", "Limits",
    "NonexistentTimeError", "Refusal", "Slot", "WeeklyRule", "booking_window", "combine_starts",
    "combined_free_slots", "combined_refusal", "free_slots", "get_zone", "is_valid_zone",
    "local_to_utc", "refusals_by_host", "slots_from_starts", "starts_by_host", "why_not_free",
]
