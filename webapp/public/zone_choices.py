"""The time zone choices every picker offers: IANA names with their UTC offset, rendered once a day."""
from datetime import date, datetime, time, timezone
from functools import lru_cache

import pytz
from markupsafe import Markup, escape

#: every zone name the picker and the settings page offer, sorted
ZONE_NAMES = tuple(sorted(pytz.all_timezones))


def offset_label(name: str, at: datetime) -> str:
    """Return a zone's name with its UTC offset at `at`, e.g. "Europe/Rome (UTC+01:00)"."""
    offset = at.astimezone(pytz.timezone(name)).strftime("%z")
    return f"{name} (UTC{offset[:3]}:{offset[3:]})"


@lru_cache(maxsize=2)
def _options_html(day: date) -> str:
    """Render every zone's <option> once for `day` (offsets change with daylight saving)."""
    noon = datetime.combine(day, time(12), tzinfo=timezone.utc)
    return "".join(f'<option value="{escape(name)}">{escape(offset_label(name, noon))}</option>'
                   for name in ZONE_NAMES)


def zone_options(selected: str, now: datetime) -> Markup:
    """Return the zone <option>s with `selected` chosen; the list is built once a day per process."""
    marker = f'value="{escape(selected)}">'
    return Markup(_options_html(now.date()).replace(marker, f'value="{escape(selected)}" selected>', 1))
