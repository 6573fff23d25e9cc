"""The admin calendar: a week grid and a month overview, in the business zone."""
from datetime import date, timedelta

from flask import abort, render_template, request

from webapp.admin.blueprint import bp, zone
from webapp.admin.calendar_grid import build_month, build_week, week_start
from webapp.clock import now
from webapp.scheduling import get_zone
from webapp.services.booking_queries import calendar_range
from webapp.services.validation import parse_day


def _today() -> date:
    """Return today in the business zone (the calendar marks it)."""
    return now().astimezone(get_zone(zone())).date()


def _asked_day(name: str, suffix: str = "") -> date:
    """Return the day named by query parameter `name` (+ `suffix`), or today in the business zone."""
    value = request.args.get(name)
    if not value:
        return _today()
    try:
        return parse_day(value + suffix)
    except ValueError:
        abort(400, description="The date in the address is not valid.")


@bp.get("/calendar")
def calendar_week():
    """Show one week hour by hour, bookings and blocked time where they fall."""
    monday = week_start(_asked_day("week"))
    bookings, blocks = calendar_range(monday, monday + timedelta(days=6), zone())
    return render_template("admin/calendar_week.html", grid=build_week(monday, bookings, blocks, get_zone(zone())),
                           monday=monday, tz=zone(), timedelta=timedelta, today=_today())


@bp.get("/calendar/month")
def calendar_month():
    """Show a month at a glance: bookings and blocked days."""
    first = _asked_day("month", "-01").replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    bookings, blocks = calendar_range(first, last, zone())
    return render_template("admin/calendar_month.html", first=first, tz=zone(), timedelta=timedelta, today=_today(),
                           weeks=build_month(first.year, first.month, bookings, blocks, get_zone(zone())))
