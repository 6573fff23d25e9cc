"""12- or 24-hour clock for a visitor: their choice in the URL (`hours=12|24`) or their browser's language.

Babel is not a dependency, so a small explicit table says where the 12-hour clock is usual:
a language tag's region decides (en-US 12, en-GB 24), a bare language its usual region (en 12,
it 24), and a few tags differ from their region (fr-CA uses 24 hours).
"""

HOUR_CYCLES = (12, 24)
#: regions where times are usually written with AM/PM
TWELVE_HOUR_REGIONS = frozenset({"US", "CA", "AU", "NZ", "PH", "IN", "PK", "BD", "EG", "SA", "MY", "KR", "TW", "CO"})
#: languages that, named without a region, usually mean a 12-hour region
TWELVE_HOUR_LANGUAGES = frozenset({"en", "hi", "bn", "ur", "ar", "ko"})
#: tags that use 24 hours although their region mostly does not
TWENTY_FOUR_HOUR_TAGS = frozenset({"fr-ca"})
#: what a visitor whose browser names no language sees
DEFAULT_CYCLE = 24


def asked_cycle(value: str | None) -> int | None:
    """Return the cycle a `hours` URL parameter asks for (12 or 24), or None if none or nonsense."""
    return int(value) if value in ("12", "24") else None


def cycle_for_language(tag: str) -> int:
    """Return the usual hour cycle for one language tag such as en-US, it or zh-Hant-TW."""
    tag = tag.strip().replace("_", "-")
    if tag.lower() in TWENTY_FOUR_HOUR_TAGS:
        return 24
    language, *rest = tag.split("-")
    regions = [part.upper() for part in rest if len(part) == 2 and part.isalpha()]
    if regions:
        return 12 if regions[0] in TWELVE_HOUR_REGIONS else 24
    return 12 if language.lower() in TWELVE_HOUR_LANGUAGES else 24


def visitor_cycle(asked: str | None, languages) -> int:
    """Return the visitor's cycle: `asked` (the URL's `hours`) if valid, else their first language's.

    `languages` are the browser's language tags, most preferred first (werkzeug's
    `request.accept_languages` iterates as (tag, quality) pairs in that order).
    """
    chosen = asked_cycle(asked)
    if chosen:
        return chosen
    for tag, _quality in languages:
        if tag != "*":
            return cycle_for_language(tag)
    return DEFAULT_CYCLE


def time_format(cycle: int) -> str:
    """Return the strftime pattern of a wall time in `cycle` (09:30 or 9:30 AM)."""
    return "%-I:%M %p" if cycle == 12 else "%H:%M"
