"""Template filters and globals: times always shown with their zone."""
from datetime import datetime

from flask import Flask, current_app, url_for
from sqlalchemy.exc import SQLAlchemyError

from webapp.clock import now
from webapp.extensions import db
from webapp.meetings import choice_label
from webapp.models import ServiceType
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


def format_span(start: datetime, end: datetime, zone_name: str) -> str:
    """Format a start and end in a zone, e.g. Wednesday 2 December 2026, 09:30–10:00 (Europe/Rome, UTC+0100)."""
    local_start, local_end = start.astimezone(get_zone(zone_name)), end.astimezone(get_zone(zone_name))
    ends = f"{local_end:%H:%M}" if local_end.date() == local_start.date() else f"{local_end:%A %-d %B %Y, %H:%M}"
    return f"{local_start:%A %-d %B %Y, %H:%M}–{ends} ({zone_name}, UTC{local_start:%z})"


def shown_status(booking) -> str:
    """Return the status a client reads: a pending booking of a service that confirms itself is confirmed.

    Such a booking is pending only for the second the outbox takes to set up its meeting, so
    "Pending" would contradict the confirmation email that follows; only approval keeps it pending.
    """
    if booking.status == "pending":
        needs_approval = db.session.scalar(db.select(ServiceType.requires_approval)
                                           .where(ServiceType.key == booking.service_type))
        return "Awaiting approval" if needs_approval else "Confirmed"
    return booking.status.replace("_", " ").capitalize()


def zone_options_now(selected: str):
    """Return the zone <option>s with `selected` chosen, offsets as of today."""
    return zone_options(selected, now())


def all_zones_url() -> str:
    """Return the URL of every zone's <option> as of today (the day in it keeps caches exact)."""
    return url_for("zones.options", v=now().date().isoformat())


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
    app.add_template_global(format_span, "span_in")
    app.add_template_global(shown_status, "shown_status")
    app.add_template_global(ZONE_NAMES, "all_zones")
    app.add_template_global(zone_options_now, "zone_options")
    app.add_template_global(all_zones_url, "all_zones_url")
