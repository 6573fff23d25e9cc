"""Show aware instants as wall-clock times in a named zone, labelled with that zone, in the client's language."""
from datetime import datetime
from zoneinfo import ZoneInfo

from webapp.mail.language import SOURCE_LANGUAGE, clock, long_date, short_date


def format_in_zone(moment: datetime, zone: str, language: str = SOURCE_LANGUAGE) -> str:
    """Return e.g. 'Monday 30 March 2026, 09:00 CEST (Europe/Rome)' ('lunedì 30 marzo 2026, …' in Italian)."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{long_date(local, language)}, {clock(local, language)} {local:%Z} ({zone})"


def format_span(start: datetime, end: datetime, zone: str, language: str = SOURCE_LANGUAGE) -> str:
    """Return e.g. 'Monday 30 March 2026, 09:00–10:00 CEST (Europe/Rome)'."""
    tz = ZoneInfo(zone)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    if local_start.date() != local_end.date():
        return f"{format_in_zone(start, zone, language)} – {format_in_zone(end, zone, language)}"
    hours = f"{clock(local_start, language)}–{clock(local_end, language)}"
    return f"{long_date(local_start, language)}, {hours} {local_end:%Z} ({zone})"


def format_short(moment: datetime, zone: str, language: str = SOURCE_LANGUAGE) -> str:
    """Return e.g. 'Mon 30 Mar 2026 09:00 CEST' for subject lines."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{short_date(local, language)} {clock(local, language)} {local:%Z}"


def zoned_spans(start: datetime, end: datetime, client_zone: str, business_zone: str,
                language: str = SOURCE_LANGUAGE) -> list[str]:
    """Return the span in the client's zone, then in the business zone when it differs."""
    zones = dict.fromkeys([client_zone, business_zone])
    return [format_span(start, end, zone, language) for zone in zones]
