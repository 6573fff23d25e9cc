"""Field checks shared by every way in (form, API, widget)."""
import re
import unicodedata
from contextlib import suppress
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_babel import get_locale
from flask_babel import gettext as _

_SINGLE_LINE_BAD = re.compile(r"[\x00-\x1f\x7f]")
_MULTI_LINE_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PHONE = re.compile(r"^\+?[0-9 ().\-/]{5,40}$")
#: years a date may name: others are typing mistakes, and far ones overflow date arithmetic
YEARS = range(1970, 2101)


def parse_day(text: str) -> date:
    """Parse a YYYY-MM-DD day within YEARS; ValueError otherwise."""
    day = date.fromisoformat(text)
    if day.year not in YEARS:
        raise ValueError(f"year {day.year} is outside {YEARS.start}-{YEARS.stop - 1}")
    return day


def address_key(text) -> str:
    """Return one spelling per mailbox, for counting: NFKC, casefolded, the domain in IDNA ASCII.

    `x@exａmple.com`, `X@EXAMPLE.com.` and `x@example.com` reach one inbox, so they are one key.
    Not for sending: mail goes to the address as validated (`FieldErrors.email`).
    """
    value = unicodedata.normalize("NFKC", text if isinstance(text, str) else "").strip().casefold()
    local, at, domain = value.rpartition("@")
    if not at:
        return value
    domain = domain.rstrip(".")
    with suppress(UnicodeError):  # an invalid domain cannot receive mail: any stable key will do
        domain = domain.encode("idna").decode("ascii")
    return f"{local}@{domain}"


class FieldErrors(dict):
    """Field name -> message, filled by the check_* helpers."""

    def text(self, name: str, value, *, required: bool, max_length: int,
             multiline: bool = False) -> str | None:
        """Check a text field and return it stripped (None when empty)."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self[name] = _("This field is required.")
            return None
        if not isinstance(value, str):
            self[name] = _("Must be text.")
            return None
        value = value.strip()
        if len(value) > max_length:
            self[name] = _("At most %(count)s characters.", count=max_length)
        elif (_MULTI_LINE_BAD if multiline else _SINGLE_LINE_BAD).search(value):
            self[name] = _("Contains characters that are not allowed.")
        return value

    def email(self, name: str, value) -> str | None:
        """Check an email address and return its normalised form."""
        value = self.text(name, value, required=True, max_length=254)
        if value is None or name in self:
            return None
        try:
            return validate_email(value, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            self[name] = str(exc) if get_locale() is None or get_locale().language == "en" else \
                _("This email address is not valid.")
            return None

    def phone(self, name: str, value) -> str | None:
        """Check an optional phone number."""
        value = self.text(name, value, required=False, max_length=40)
        if value and name not in self and not _PHONE.match(value):
            self[name] = _("Use digits, spaces and + ( ) - only.")
        return value
