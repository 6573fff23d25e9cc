"""The admin's first page."""
from flask import render_template

from webapp.admin.blueprint import bp, own_host, zone
from webapp.clock import now
from webapp.outbox import backlog
from webapp.services.booking_queries import dashboard as dashboard_summary
from webapp.services.calendar_sources import failing_sources


@bp.get("/")
def dashboard():
    """Show today's and the next 7 days' bookings, counts by status and what needs attention."""
    at = now()
    return render_template("admin/dashboard.html", board=dashboard_summary(at, zone(), own_host()), tz=zone(),
                           backlog=backlog(at), failing_calendars=failing_sources(at), now=at)
