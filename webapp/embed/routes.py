"""The widget: /embed.js and the booking flow partners frame (no cookie, no session)."""
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from webapp.branding import DEFAULT_ACCENT, accent_css
from webapp.embed import policy
from webapp.embed.flow import WidgetFlow
from webapp.errors import error_text
from webapp.extensions import csrf
from webapp.ratelimits import booking_limits, token_lookup_limit
from webapp.request_settings import checked_after
from webapp.services.availability import active_service_types
from webapp.services.settings import get_settings

bp = Blueprint("embed", __name__)
SCRIPT_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "js"


@bp.get("/embed.js")
def script():
    """Serve the loader partners include: cacheable, loadable from any site."""
    response = send_from_directory(SCRIPT_DIR, "embed.js", mimetype="text/javascript", max_age=3600)
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@bp.url_value_preprocessor
def take_look(endpoint, values) -> None:
    """Keep the look path segment aside so views need not pass it on."""
    g.embed_look_segment = (values or {}).pop("look", None)


@bp.url_defaults
def keep_look(endpoint, values) -> None:
    """Carry the current look into every widget link."""
    if "look" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "look"):
        values["look"] = g.get("embed_look_segment") or "default"


@bp.before_request
def refuse_when_off():
    """Answer 404 for the flow when no partner origin is allowed or the look is unknown."""
    if request.endpoint == "embed.script":
        return
    g.embed_origins = policy.allowed_origins()
    g.embed_look = policy.parse_look(g.get("embed_look_segment") or "")
    if not g.embed_origins:
        abort(404, description=_("The booking widget is not enabled on this site."))
    if g.embed_look is None:
        abort(404)


@bp.after_request
def frame_policy(response):
    """Let the allowed partner origins frame the flow; never start a session."""
    if request.endpoint != "embed.script" and g.get("embed_origins"):
        response.headers["Content-Security-Policy"] = policy.frame_csp(g.embed_origins)
    return response


@bp.errorhandler(HTTPException)
def error_page(error: HTTPException):
    """Explain a refusal inside the widget's own small layout."""
    title, message = error_text(error)
    return render_template("embed/error.html", title=title, message=message), error.code


def widget_accent() -> str:
    """Return the widget's accent as rrggbb: the partner's data-primary-color, else the admin's colour."""
    look = g.get("embed_look")
    return (look.color if look and look.color else get_settings().accent_color.lstrip("#")).lower()


@bp.context_processor
def widget_context() -> dict:
    """Give widget templates their look, their theme stylesheet (None for the site's own accent)
    and the origins that may frame them."""
    accent = widget_accent() if g.get("embed_look") else DEFAULT_ACCENT.lstrip("#")
    theme = url_for("embed.theme", v=accent) if accent != DEFAULT_ACCENT.lstrip("#") else None
    return {"embed_look": g.get("embed_look"), "embed_parents": g.get("embed_origins", []), "widget_theme": theme}


@bp.get("/embed/<look>/")
def index():
    """List the services, for a widget that does not name one."""
    return render_template("embed/index.html", services=active_service_types())


@bp.get("/embed/<look>/theme.css")
def theme():
    """Serve the widget's accent colour as a stylesheet (no inline styles under our CSP); linked with
    the colour in its address (`?v=`), so a new admin colour is a new URL."""
    response = current_app.response_class(accent_css("#" + widget_accent()), mimetype="text/css")
    response.cache_control.public, response.cache_control.max_age = True, 86400
    return response


#: the site's booking flow with the widget's layout, token and events
flow = WidgetFlow()


@bp.get("/embed/<look>/book/<key>")
@checked_after
def calendar(key: str):
    """Show the month calendar and, once a day is chosen, its free times."""
    return flow.calendar(key)


@bp.route("/embed/<look>/book/<key>/details", methods=["GET", "POST"])
@csrf.exempt  # no cookie in a third-party frame: the signed token and Origin check stand in
@booking_limits
def details(key: str):
    """Ask for the client's details for the chosen time, then book it."""
    return flow.details(key)


@bp.get("/embed/<look>/booking/<token>")
@token_lookup_limit()
def confirmed(token: str):
    """Show the booking just made and tell the partner page about it."""
    return flow.confirmed(token)
