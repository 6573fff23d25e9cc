"""Template filters and globals: times always shown with their zone."""
from datetime import datetime

from flask import Flask

from webapp.clock import now
from webapp.meetings import choice_label
from webapp.public.zone_choices import ZONE_NAMES, zone_options
from webapp.scheduling import get_zone
from webapp.services.settings import get_settings


def format_time(value: datetime, zone_name: str) -> str:
    """Format an instant as a wall time in a zone, e.g. 09:30."""
    return value.astimezone(get_zone(zone_name)).strftime("%H:%M")


def format_date(value: datetime, zone_name: str) -> str:
    """Format an instant's local date in a zone, e.g. Wednesday 2 December 2026."""
    return f"{value.astimezone(get_zone(zone_name)):%A %-d %B %Y}"


def format_datetime(value: datetime, zone_name: str) -> str:
    """Format an instant as a full date and time in a zone, naming the zone."""
    local = value.astimezone(get_zone(zone_name))
    return f"{local:%A %-d %B %Y, %H:%M} ({zone_name}, UTC{local:%z})"


def provider_label(key: str) -> str:
    """Return a meeting provider's display name."""
    return choice_label(key)


def zone_options_now(selected: str):
    """Return the zone <option>s with `selected` chosen, offsets as of today."""
    return zone_options(selected, now())


def _site_context() -> dict:
    """Give every template the business name."""
    return {"business_name": get_settings().business_name}


def register(app: Flask) -> None:
    """Install the filters, globals and context on `app`."""
    app.context_processor(_site_context)
    app.add_template_global(provider_label, "provider_label")
    app.add_template_filter(format_time, "time_in")
    app.add_template_filter(format_datetime, "datetime_in")
    app.add_template_filter(format_date, "date_in")
    app.add_template_global(ZONE_NAMES, "all_zones")
    app.add_template_global(zone_options_now, "zone_options")
