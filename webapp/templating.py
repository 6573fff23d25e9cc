"""Template filters and globals: times always shown with their zone."""
from datetime import datetime

from flask import Flask, current_app, g, has_request_context, request, url_for
from sqlalchemy.exc import SQLAlchemyError

from webapp.branding import DEFAULT_ACCENT
from webapp.clock import now
from webapp.extensions import db
from webapp.meetings import choice_label
from webapp.models import ServiceType
from webapp.public.hour_cycle import DEFAULT_CYCLE, time_format, visitor_cycle
from webapp.public.zone_choices import ZONE_NAMES, zone_options
from webapp.scheduling import get_zone
from webapp.services.settings import get_settings


def hour_cycle() -> int:
    """Return the 12- or 24-hour clock of the page being rendered (the visitor's; 24 outside a request)."""
    if not has_request_context():
        return DEFAULT_CYCLE
    return visitor_cycle(request.args.get("hours"), request.accept_languages)  # cheap: werkzeug caches the parse


def _clock() -> str:
    """Return the strftime pattern of a wall time on this page."""
    return time_format(hour_cycle())


def format_time(value: datetime, zone_name: str) -> str:
    """Format an instant as a wall time in a zone, e.g. 09:30 (or 9:30 AM on a 12-hour page)."""
    return value.astimezone(get_zone(zone_name)).strftime(_clock())


def format_date(value: datetime, zone_name: str) -> str:
    """Format an instant's local date in a zone, e.g. Wednesday 2 December 2026."""
    return f"{value.astimezone(get_zone(zone_name)):%A %-d %B %Y}"


def format_datetime(value: datetime, zone_name: str) -> str:
    """Format an instant as a full date and time in a zone, naming the zone."""
    local = value.astimezone(get_zone(zone_name))
    return f"{local:%A %-d %B %Y}, {local.strftime(_clock())} ({zone_name}, UTC{local:%z})"


def provider_label(key: str) -> str:
    """Return a meeting provider's display name."""
    return choice_label(key)


def format_span(start: datetime, end: datetime, zone_name: str) -> str:
    """Format a start and end in a zone, e.g. Wednesday 2 December 2026, 09:30–10:00 (Europe/Rome, UTC+0100)."""
    local_start, local_end = start.astimezone(get_zone(zone_name)), end.astimezone(get_zone(zone_name))
    clock = _clock()
    ends = local_end.strftime(clock if local_end.date() == local_start.date() else f"%A %-d %B %Y, {clock}")
    return f"{local_start:%A %-d %B %Y}, {local_start.strftime(clock)}–{ends} ({zone_name}, UTC{local_start:%z})"


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


def service_name(key: str) -> str:
    """Return a service type's display name (its key if it is gone); one query per request."""
    names = g.get("service_names")
    if names is None:
        names = g.service_names = dict(db.session.execute(db.select(ServiceType.key, ServiceType.name)).all())
    return names.get(key, key)


def zone_options_now(selected: str):
    """Return the zone <option>s with `selected` chosen, offsets as of today."""
    return zone_options(selected, now())


def all_zones_url() -> str:
    """Return the URL of every zone's <option> as of today (the day in it keeps caches exact)."""
    return url_for("zones.options", v=now().date().isoformat())


def _site_context() -> dict:
    """Give every template the business's name, logo and accent (`brand_css`: None for the site's own).

    While the database is down the error page still renders: configured name, site's own look.
    """
    try:
        settings = get_settings()
    except SQLAlchemyError:
        try:
            db.session.rollback()
        except SQLAlchemyError:
            db.session.close()
        return {"business_name": current_app.config["BUSINESS_NAME"], "brand_logo_url": "",
                "brand_accent": DEFAULT_ACCENT, "brand_css": None}
    custom = settings.accent_color.lower() != DEFAULT_ACCENT
    return {"business_name": settings.business_name, "brand_logo_url": settings.logo_url,
            "brand_accent": settings.accent_color,
            "brand_css": url_for("public.brand_css", v=settings.accent_color.lstrip("#")) if custom else None}


def register(app: Flask) -> None:
    """Install the filters, globals and context on `app`."""
    app.context_processor(_site_context)
    app.add_template_global(provider_label, "provider_label")
    app.add_template_filter(format_time, "time_in")
    app.add_template_filter(format_datetime, "datetime_in")
    app.add_template_filter(format_date, "date_in")
    app.add_template_global(format_span, "span_in")
    app.add_template_global(shown_status, "shown_status")
    app.add_template_global(service_name, "service_name")
    app.add_template_global(hour_cycle, "hour_cycle")
    app.add_template_global(ZONE_NAMES, "all_zones")
    app.add_template_global(zone_options_now, "zone_options")
    app.add_template_global(all_zones_url, "all_zones_url")
