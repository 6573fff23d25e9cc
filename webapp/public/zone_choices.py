"""The time zone choices every picker offers: IANA names with their UTC offset, rendered once a day.

A page carries only the common zones and the viewer's own (`zone_options`); the full list of
~600 is one cached response (`all_zone_options`, served as `/zones.html` and on the no-JS zone page).
"""
from datetime import date, datetime, time, timezone
from functools import lru_cache

import pytz
from markupsafe import Markup, escape

#: every zone name the picker and the settings page offer, sorted
ZONE_NAMES = tuple(sorted(pytz.all_timezones))
#: the zones a page offers at once, west to east; the rest load on demand
COMMON_ZONES = (
    "Pacific/Honolulu", "America/Los_Angeles", "America/Denver", "America/Chicago", "America/Mexico_City",
    "America/New_York", "America/Sao_Paulo", "UTC", "Europe/London", "Europe/Lisbon", "Europe/Paris",
    "Europe/Madrid", "Europe/Berlin", "Europe/Rome", "Africa/Lagos", "Africa/Johannesburg", "Europe/Athens",
    "Europe/Istanbul", "Europe/Moscow", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "Asia/Shanghai",
    "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland",
)


def offset_label(name: str, at: datetime) -> str:
    """Return a zone's name with its UTC offset at `at`, e.g. "Europe/Rome (UTC+01:00)"."""
    offset = at.astimezone(pytz.timezone(name)).strftime("%z")
    return f"{name} (UTC{offset[:3]}:{offset[3:]})"


def _option(name: str, noon: datetime) -> str:
    """Render one zone's <option> with its offset at `noon`."""
    return f'<option value="{escape(name)}">{escape(offset_label(name, noon))}</option>'


@lru_cache(maxsize=2)
def _options_html(day: date) -> str:
    """Render every zone's <option> once for `day` (offsets change with daylight saving)."""
    noon = datetime.combine(day, time(12), tzinfo=timezone.utc)
    return "".join(_option(name, noon) for name in ZONE_NAMES)


@lru_cache(maxsize=2)
def _common_html(day: date) -> str:
    """Render the common zones' <option>s once for `day`."""
    noon = datetime.combine(day, time(12), tzinfo=timezone.utc)
    return "".join(_option(name, noon) for name in COMMON_ZONES)


def _choose(html: str, selected: str) -> Markup:
    """Mark `selected`'s option as chosen in rendered options."""
    marker = f'value="{escape(selected)}">'
    return Markup(html.replace(marker, f'value="{escape(selected)}" selected>', 1))


def all_zone_options(selected: str, now: datetime) -> Markup:
    """Return every zone's <option> with `selected` chosen; the list is built once a day per process."""
    return _choose(_options_html(now.date()), selected)


def zone_options(selected: str, now: datetime) -> Markup:
    """Return the common zones' <option>s, and `selected`'s first when it is not one of them, chosen."""
    html = _common_html(now.date())
    if selected not in COMMON_ZONES and selected in ZONE_NAMES:
        noon = datetime.combine(now.date(), time(12), tzinfo=timezone.utc)
        html = _option(selected, noon) + html
    return _choose(html, selected)
