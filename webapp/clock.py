"""The request's clock: real UTC time, replaceable through the CLOCK config key."""
from datetime import datetime

from flask import current_app

from webapp.models.types import utcnow


def now() -> datetime:
    """Return the current instant for this app (aware UTC)."""
    return current_app.config.get("CLOCK", utcnow)()
