"""The admin calendar: a week grid, a month overview and a day with a column per host (business zone).

`?host=<slug>` shows one host's calendar; a host login always sees only their own.
"""
from datetime import date, timedelta

from flask import abort, render_template, request
from flask_babel import gettext as _

from webapp.admin.blueprint import bp, hosts_offered, own_host, shown_host, zone
from webapp.admin.calendar_grid import build_day, build_month, build_week, week_start
from webapp.clock import now
from webapp.scheduling import get_zone
from webapp.services.booking_queries import calendar_range
from webapp.services.hosts import default_host
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
        abort(400, description=_("The date in the address is not valid."))


def _host_context() -> dict:
    """Return the host shown, the hosts to choose from and the parameter links keep (an admin's filter)."""
    host = shown_host()
    keep = {"host": host.slug} if host is not None and own_host() is None else {}
    return dict(shown_host=host, hosts=hosts_offered(), host_param=keep)


@bp.get("/calendar")
def calendar_week():
    """Show one week hour by hour, bookings and blocked time where they fall."""
    monday = week_start(_asked_day("week"))
    hosts = _host_context()
    bookings, blocks = calendar_range(monday, monday + timedelta(days=6), zone(), hosts["shown_host"])
    return render_template("admin/calendar_week.html", grid=build_week(monday, bookings, blocks, get_zone(zone())),
                           monday=monday, tz=zone(), timedelta=timedelta, today=_today(), **hosts)


@bp.get("/calendar/month")
def calendar_month():
    """Show a month at a glance: bookings and blocked days."""
    first = _asked_day("month", "-01").replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    hosts = _host_context()
    bookings, blocks = calendar_range(first, last, zone(), hosts["shown_host"])
    return render_template("admin/calendar_month.html", first=first, tz=zone(), timedelta=timedelta, today=_today(),
                           weeks=build_month(first.year, first.month, bookings, blocks, get_zone(zone())), **hosts)


@bp.get("/calendar/day")
def calendar_day():
    """Show one day with a column per host (one host's column with `?host=`), bookings side by side."""
    day = _asked_day("day")
    hosts = _host_context()
    columns = [hosts["shown_host"]] if hosts["shown_host"] else hosts["hosts"]
    bookings, blocks = calendar_range(day, day, zone(), hosts["shown_host"])
    default = default_host()
    grid = build_day(day, columns, bookings, blocks, get_zone(zone()), default.id if default else None)
    return render_template("admin/calendar_day.html", grid=grid, day=day, tz=zone(), timedelta=timedelta,
                           today=_today(), **hosts)
