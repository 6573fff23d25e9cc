"""The widget: /embed.js and the booking flow partners frame (no cookie, no session)."""
from datetime import timedelta
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from werkzeug.exceptions import HTTPException

from webapp.clock import now
from webapp.embed import policy
from webapp.extensions import csrf, limiter

# The site's own flow pieces: the widget books exactly as the site does.
from webapp.public.flow import (
    attach_errors,
    booking_request,
    chosen_time,
    picker_context,
    picker_state,
)
from webapp.public.forms import BookingForm
from webapp.public.picker import build_view
from webapp.ratelimits import configured
from webapp.services.availability import active_service_types, get_service_type
from webapp.services.bookings import booking_by_token, create_booking
from webapp.services.embed_tokens import (
    BadEmbedToken,
    SlotClaim,
    issue_form_token,
    read_form_token,
)
from webapp.services.errors import SlotTaken, ValidationFailed
from webapp.services.settings import enabled_providers
from webapp.services.tokens import manage_url

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
        abort(404, description="The booking widget is not enabled on this site.")
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
    return render_template("embed/error.html", error=error), error.code


@bp.context_processor
def widget_context() -> dict:
    """Give widget templates their look and the origins that may frame them."""
    return {"embed_look": g.get("embed_look"), "embed_parents": g.get("embed_origins", [])}


def service_or_404(key: str):
    """Return the active service type `key` or answer 404."""
    return get_service_type(key) or abort(404)


@bp.get("/embed/<look>/")
def index():
    """List the services, for a widget that does not name one."""
    return render_template("embed/index.html", services=active_service_types())


@bp.get("/embed/<look>/theme.css")
def theme():
    """Serve the partner's accent colour as a stylesheet (no inline styles under our CSP)."""
    color = g.embed_look.color or "2457c5"
    response = current_app.response_class(f":root {{ --accent: #{color}; }}\n", mimetype="text/css")
    response.cache_control.public, response.cache_control.max_age = True, 86400
    return response


@bp.get("/embed/<look>/book/<key>")
def calendar(key: str):
    """Show the month calendar and, once a day is chosen, its free times."""
    service = service_or_404(key)
    return render_template("embed/calendar.html", **picker_context(service, picker_state(service)))


@bp.route("/embed/<look>/book/<key>/details", methods=["GET", "POST"])
@csrf.exempt  # no cookie in a third-party frame: the signed token and Origin check stand in
@limiter.limit(configured("BOOKING_RATE_LIMIT"),
               methods=["POST"])
def details(key: str):
    """Ask for the client's details for the chosen time, then book it."""
    service = service_or_404(key)
    form = BookingForm(request.form if request.method == "POST" else request.args,
                       meta={"csrf": False})
    form.offer_providers(enabled_providers())
    start, state = chosen_time(service, form)
    if request.method == "GET":
        form.title.data = form.title.data or service.name
        token = issue_form_token(SlotClaim(service.key, start, start, state.duration), now())
        return _details_page(service, form, start, state, token=token, announce=True)
    if not policy.post_is_same_origin(request):
        abort(403, description="This form can only be sent from the booking widget itself.")
    _check_token(service, start, state)
    return _book(service, form, start, state)


def _check_token(service, start, state) -> None:
    """Refuse a post whose token is forged, expired or issued for another slot."""
    try:
        claim = read_form_token(request.form.get("embed_token", ""), now())
    except BadEmbedToken as exc:
        abort(400, description=str(exc))
    if not claim.covers(service.key, start, state.duration):
        abort(400, description="This booking form does not match the chosen time. "
                               "Please choose a time again.")


def _details_page(service, form, start, state, status: int = 200, **extra):
    """Render the details form for the chosen time."""
    return render_template("embed/details.html", service=service, form=form, start=start,
                           state=state, end=start + timedelta(minutes=state.duration),
                           token=extra.pop("token", request.form.get("embed_token", "")),
                           **extra), status


def _book(service, form: BookingForm, start, state):
    """Create the booking from a posted form, or re-render it with what went wrong."""
    if not form.validate():
        return _details_page(service, form, start, state, 422,
                             error="Please correct the highlighted fields.")
    try:
        created = create_booking(booking_request(service, form, start, state), now())
    except ValidationFailed as exc:
        attach_errors(form, exc.fields)
        return _details_page(service, form, start, state, 422, error=exc.message)
    except SlotTaken as exc:
        return _offer_other_times(service, form, start, state, exc.message)
    return redirect(url_for("embed.confirmed", token=created.manage_token), code=303)


def _offer_other_times(service, form: BookingForm, start, state, message: str):
    """Keep the client's details and offer the day's fresh times (or the calendar if none)."""
    alternatives = build_view(service, state, now()).times
    if not alternatives:
        return render_template("embed/calendar.html",
                               **picker_context(service, state, taken=message)), 409
    claim = SlotClaim(service.key, alternatives[0].start, alternatives[-1].start, state.duration)
    return _details_page(service, form, start, state, 409, error=message,
                         alternatives=alternatives, token=issue_form_token(claim, now()))


@bp.get("/embed/<look>/booking/<token>")
def confirmed(token: str):
    """Show the booking just made and tell the partner page about it."""
    booking = booking_by_token(token) or abort(404)
    response = current_app.make_response(render_template(
        "embed/confirmed.html", booking=booking, manage_url=manage_url(booking.uid)))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
