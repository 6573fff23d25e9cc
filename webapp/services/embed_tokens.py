"""Short-lived signed tokens that carry the widget's chosen slot instead of a cookie."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, TimestampSigner

SALT = "embed-booking-form"
DEFAULT_MAX_AGE = timedelta(minutes=30)


class BadEmbedToken(ValueError):
    """A form token that was altered, expired or belongs to another slot."""


@dataclass(frozen=True)
class SlotClaim:
    """The starts a widget form was issued for: one slot, or a day's fresh choices."""

    service_type: str
    first_start: datetime
    last_start: datetime
    duration_minutes: int

    def covers(self, service_type: str, start: datetime, duration_minutes: int) -> bool:
        """Return True if the form may book `start` for this service and duration."""
        return (service_type, duration_minutes) == (self.service_type, self.duration_minutes) \
            and self.first_start <= start <= self.last_start


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
    first, last = (moment.astimezone(timezone.utc).isoformat()
                   for moment in (claim.first_start, claim.last_start))
    value = f"{claim.service_type}|{first}|{last}|{claim.duration_minutes}"
    return _signer(now).sign(value).decode()


def read_form_token(token: str, now: datetime) -> SlotClaim:
    """Return the slot a token was issued for; raise BadEmbedToken if forged or expired."""
    try:
        value, signed_at = _signer(now).unsign(token or "", return_timestamp=True)
        service_type, first, last, duration = value.decode().split("|")
        claim = SlotClaim(service_type, datetime.fromisoformat(first),
                          datetime.fromisoformat(last), int(duration))
    except (BadSignature, ValueError, UnicodeDecodeError):
        raise BadEmbedToken(_("This booking form is not valid. Please choose a time again.")) from None
    age = now - signed_at.replace(tzinfo=timezone.utc)
    if age > max_age() or age < -timedelta(minutes=5):
        raise BadEmbedToken(_("This booking form has expired. Please choose a time again."))
    return claim
