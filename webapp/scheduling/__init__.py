"""The availability engine: pure Python, no Flask, no SQLAlchemy, `now` passed in."""
from webapp.scheduling.rule import BookingWindow, Refusal, booking_window
from webapp.scheduling.slots import free_slots, why_not_free
from webapp.scheduling.types import Block, Busy, Limits, Slot, WeeklyRule
from webapp.scheduling.zones import (
    AmbiguousTimeError,
    NonexistentTimeError,
    get_zone,
    is_valid_zone,
    local_to_utc,
)

__all__ = [
    "AmbiguousTimeError", "Block", "BookingWindow", "Busy", "Limits", "NonexistentTimeError",
    "Refusal", "Slot", "WeeklyRule", "booking_window", "free_slots", "get_zone", "is_valid_zone",
    "local_to_utc", "why_not_free",
]
