"""Template filters and globals: times always shown with their zone."""
from datetime import datetime

import pytz
from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.meetings import choice_label
from webapp.scheduling import get_zone
from webapp.services.settings import get_settings

ALL_ZONES = sorted(pytz.all_timezones)


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


def _site_context() -> dict:
    """Give every template the business name (configured one while the database is down)."""
    try:
        return {"business_name": get_settings().business_name}
    except SQLAlchemyError:  # the error page must render without the database
        try:
            db.session.rollback()
        except SQLAlchemyError:
            db.session.close()
        return {"business_name": current_app.config["BUSINESS_NAME"]}


def register(app: Flask) -> None:
    """Install the filters, globals and context on `app`."""
    app.context_processor(_site_context)
    app.add_template_global(provider_label, "provider_label")
    app.add_template_filter(format_time, "time_in")
    app.add_template_filter(format_datetime, "datetime_in")
    app.add_template_filter(format_date, "date_in")
    app.add_template_global(ALL_ZONES, "all_zones")
