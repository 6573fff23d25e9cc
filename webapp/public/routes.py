"""Public pages: choose a service, a day, a time; fill the form; see the confirmation."""
from flask import Blueprint, abort, current_app, render_template, send_from_directory

from webapp.booking_flow.flow import BookingFlow
from webapp.branding import accent_css
from webapp.models.host import COLLECTIVE
from webapp.ratelimits import booking_limits, token_lookup_limit
from webapp.request_settings import checked_after
from webapp.services.availability import active_service_types
from webapp.services.hosts import find_host, services_given_by
from webapp.services.settings import get_settings

bp = Blueprint("public", __name__)

#: the site's booking flow (CSRF-protected forms, the site's own layout)
flow = BookingFlow()


@bp.get("/")
def index():
    """List the services a client can book."""
    return render_template("public/index.html", services=active_service_types())


@bp.get("/with/<slug>")
def host_page(slug: str):
    """Show one host and the services they give; each links to the calendar of their own times."""
    host = find_host(slug) or abort(404)
    return render_template("public/host.html", host=host, collective=COLLECTIVE,
                           services=services_given_by(host, active_service_types()))


@bp.get("/favicon.ico")
def favicon():
    """Answer the browsers' default icon request with the site's SVG icon (cached a day)."""
    return send_from_directory(current_app.static_folder, "favicon.svg",
                               mimetype="image/svg+xml", max_age=86400)


@bp.get("/brand.css")
def brand_css():
    """Serve the admin's accent colour as a stylesheet (no inline styles under our CSP).

    Pages link it with the colour in the address (`?v=`), so a new colour is a new URL and the
    old one may be cached for a long time.
    """
    response = current_app.response_class(accent_css(get_settings().accent_color), mimetype="text/css")
    response.cache_control.public, response.cache_control.max_age = True, 86400
    return response


@bp.get("/book/<key>")
@checked_after
def calendar(key: str):
    """Show the month calendar and, once a day is chosen, its free times."""
    return flow.calendar(key)


@bp.route("/book/<key>/details", methods=["GET", "POST"])
@booking_limits
def details(key: str):
    """Ask for the client's details for the chosen time, then book it."""
    return flow.details(key)


@bp.get("/booking/<token>")
@token_lookup_limit()
def confirmed(token: str):
    """Show a booking's confirmation with its details and manage link."""
    return flow.confirmed(token)
