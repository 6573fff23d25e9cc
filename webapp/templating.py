"""Template filters and globals: times always shown with their zone, in the page's language (CLDR)."""
from datetime import date, datetime

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from webapp.branding import DEFAULT_ACCENT
from webapp.clock import now
from webapp.extensions import db
from webapp.i18n import page_locale
from webapp.mail.language import LONG_DATE
from webapp.models import ServiceType
from webapp.public.forms import provider_choice
from webapp.public.hour_cycle import DEFAULT_CYCLE, time_pattern, visitor_cycle
from webapp.public.zone_choices import ZONE_NAMES, zone_options
from webapp.scheduling import get_zone
from webapp.scheduling.calendar import month_weeks
from webapp.services.settings import get_settings


def hour_cycle() -> int:
    """Return the 12- or 24-hour clock of the page being rendered (the visitor's; 24 outside a request)."""
    if not has_request_context():
        return DEFAULT_CYCLE
    if not request.accept_languages:  # a browser that names no language: 24 hours, as in the business's Italy
        return visitor_cycle(request.args.get("hours"), None)
    return visitor_cycle(request.args.get("hours"), page_locale())


def _in_zone(value: datetime, zone_name: str, pattern: str) -> str:
    """Return an instant as a wall time in a zone, in a CLDR `pattern` and the page's locale."""
    local = value.astimezone(get_zone(zone_name))
    return babel_datetime(local, pattern, tzinfo=local.tzinfo, locale=page_locale())


def format_time(value: datetime, zone_name: str) -> str:
    """Format an instant as a wall time in a zone, e.g. 09:30 (or 9:30 AM on a 12-hour page)."""
    return _in_zone(value, zone_name, time_pattern(hour_cycle()))


def format_date(value: datetime, zone_name: str) -> str:
    """Format an instant's local date in a zone, e.g. Wednesday 2 December 2026 (mercoledì 2 dicembre 2026)."""
    return _in_zone(value, zone_name, LONG_DATE)


def format_day(day: date) -> str:
    """Format a calendar day without its year, e.g. Wednesday 2 December (mercoledì 2 dicembre)."""
    return babel_date(day, "EEEE d MMMM", locale=page_locale())


def month_grid(month: date) -> dict:
    """Return a month as the page's locale draws it: weekday headings and weeks from its first day.

    `weekdays` holds (abbreviated, full) names in column order; `weeks` holds dates, None for
    days of other months.
    """
    locale = page_locale()
    first = locale.first_week_day
    order = [(first + index) % 7 for index in range(7)]
    short, full = locale.days["stand-alone"]["abbreviated"], locale.days["stand-alone"]["wide"]
    return {"weekdays": [(short[day], full[day]) for day in order],
            "weeks": month_weeks(month.year, month.month, first)}


def _zone_label(value: datetime, zone_name: str) -> str:
    """Return the zone an instant is shown in, with its offset then, e.g. Europe/Rome, UTC+0100."""
    return f"{zone_name}, UTC{value.astimezone(get_zone(zone_name)):%z}"


def format_datetime(value: datetime, zone_name: str) -> str:
    """Format an instant as a full date and time in a zone, naming the zone."""
    return (f"{format_date(value, zone_name)}, {format_time(value, zone_name)} "
            f"({_zone_label(value, zone_name)})")


def provider_label(key: str) -> str:
    """Return a meeting provider's display name, in the page's language."""
    return provider_choice(key)


def format_span(start: datetime, end: datetime, zone_name: str) -> str:
    """Format a start and end in a zone, e.g. Wednesday 2 December 2026, 09:30–10:00 (Europe/Rome, UTC+0100)."""
    zone = get_zone(zone_name)
    same_day = end.astimezone(zone).date() == start.astimezone(zone).date()
    ends = format_time(end, zone_name) if same_day else f"{format_date(end, zone_name)}, {format_time(end, zone_name)}"
    return f"{format_date(start, zone_name)}, {format_time(start, zone_name)}–{ends} ({_zone_label(start, zone_name)})"


def client_status(booking) -> str:
    """Return the status a client reads, as a key: a pending booking of a service that confirms itself is confirmed.

    Such a booking is pending only for the second the outbox takes to set up its meeting, so
    "Pending" would contradict the confirmation email that follows; only approval keeps it pending
    (`awaiting_approval`).
    """
    if booking.status == "pending":
        needs_approval = db.session.scalar(db.select(ServiceType.requires_approval)
                                           .where(ServiceType.key == booking.service_type))
        return "awaiting_approval" if needs_approval else "confirmed"
    return booking.status


def shown_status(booking) -> str:
    """Return the status a client reads, in the page's language (see `client_status`)."""
    labels = {"awaiting_approval": _("Awaiting approval"), "confirmed": _("Confirmed"),
              "cancelled": _("Cancelled"), "completed": _("Completed"), "no_show": _("No show"),
              "pending": _("Pending")}
    status = client_status(booking)
    return labels.get(status, status.replace("_", " ").capitalize())


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
    app.add_template_filter(format_day, "day_name")
    app.add_template_global(month_grid, "month_grid")
    app.add_template_global(format_span, "span_in")
    app.add_template_global(shown_status, "shown_status")
    app.add_template_global(client_status, "client_status")
    app.add_template_global(service_name, "service_name")
    app.add_template_global(hour_cycle, "hour_cycle")
    app.add_template_global(ZONE_NAMES, "all_zones")
    app.add_template_global(zone_options_now, "zone_options")
    app.add_template_global(all_zones_url, "all_zones_url")
