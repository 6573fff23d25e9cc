"""12- or 24-hour clock for a visitor: their choice in the URL (`hours=12|24`), else their locale's (CLDR).

The locale is the page's language with the visitor's region (`i18n.page_locale`): en-US and
en-CA write 9:00 AM, en-GB, en-IT and it write 09:00.
"""
import re

from babel import Locale

HOUR_CYCLES = (12, 24)
#: outside a request (emails) and for a locale that names no clock
DEFAULT_CYCLE = 24
#: Babel (CLDR) patterns of a wall time on each clock
TIME_PATTERNS = {12: "h:mm a", 24: "HH:mm"}


def asked_cycle(value: str | None) -> int | None:
    """Return the cycle a `hours` URL parameter asks for (12 or 24), or None if none or nonsense."""
    return int(value) if value in ("12", "24") else None


def cycle_for_locale(locale: Locale) -> int:
    """Return the usual hour cycle of a CLDR locale: 12 when its short time pattern counts hours 1-12."""
    unquoted = re.sub(r"'[^']*'", "", locale.time_formats["short"].pattern)
    hours = re.search(r"[hHkK]", unquoted)
    return 12 if hours and hours.group() in "hK" else DEFAULT_CYCLE


def visitor_cycle(asked: str | None, locale: Locale | None) -> int:
    """Return the visitor's cycle: `asked` (the URL's `hours`) if valid, else their locale's (None: 24)."""
    return asked_cycle(asked) or (cycle_for_locale(locale) if locale else DEFAULT_CYCLE)


def time_pattern(cycle: int) -> str:
    """Return the CLDR pattern of a wall time in `cycle` (09:30 or 9:30 AM)."""
    return TIME_PATTERNS[cycle]
