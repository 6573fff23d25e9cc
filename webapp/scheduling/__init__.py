"""The availability engine: pure Python, no Flask, no SQLAlchemy, `now` passed in."""
from webapp.scheduling.slots import free_slots, is_free
from webapp.scheduling.types import Block, Busy, Limits, Slot, WeeklyRule
from webapp.scheduling.zones import (
    AmbiguousTimeError, NonexistentTimeError, get_zone, is_valid_zone, local_to_utc,
)

__all__ = [
    "AmbiguousTimeError", "Block", "Busy", "Limits", "NonexistentTimeError", "Slot",
    "WeeklyRule", "free_slots", "get_zone", "is_free", "is_valid_zone", "local_to_utc",
]
