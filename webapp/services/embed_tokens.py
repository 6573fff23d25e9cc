"""Short-lived signed tokens that carry the widget's chosen slot instead of a cookie."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import current_app
from itsdangerous import BadSignature, TimestampSigner

SALT = "embed-booking-form"
DEFAULT_MAX_AGE = timedelta(minutes=30)


class BadEmbedToken(ValueError):
    """A form token that was altered, expired or belongs to another slot."""


@dataclass(frozen=True)
class SlotClaim:
    """The slot a widget form was issued for."""

    service_type: str
    start: datetime
    duration_minutes: int


def _signer(now: datetime) -> TimestampSigner:
    """Return a signer keyed by SECRET_KEY whose clock is `now`."""
    signer = TimestampSigner(current_app.config["SECRET_KEY"], salt=SALT)
    signer.get_timestamp = lambda: int(now.timestamp())  # sign with the caller's clock
    return signer


def max_age() -> timedelta:
    """Return how long a widget form stays valid (EMBED_FORM_TOKEN_MINUTES)."""
    minutes = current_app.config.get("EMBED_FORM_TOKEN_MINUTES")
    return timedelta(minutes=minutes) if minutes else DEFAULT_MAX_AGE


def issue_form_token(claim: SlotClaim, now: datetime) -> str:
    """Sign the chosen slot for the widget form, stamped with `now`."""
    start = claim.start.astimezone(timezone.utc).isoformat()
    return _signer(now).sign(f"{claim.service_type}|{start}|{claim.duration_minutes}").decode()


def read_form_token(token: str, now: datetime) -> SlotClaim:
    """Return the slot a token was issued for; raise BadEmbedToken if forged or expired."""
    try:
        value, signed_at = _signer(now).unsign(token or "", return_timestamp=True)
        service_type, start, duration = value.decode().split("|")
        claim = SlotClaim(service_type, datetime.fromisoformat(start), int(duration))
    except (BadSignature, ValueError, UnicodeDecodeError):
        raise BadEmbedToken("This booking form is not valid. Please choose a time again.") from None
    age = now - signed_at.replace(tzinfo=timezone.utc)
    if age > max_age() or age < -timedelta(minutes=5):
        raise BadEmbedToken("This booking form has expired. Please choose a time again.")
    return claim
