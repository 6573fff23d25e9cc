"""Public pages: choose a service, a day, a time; fill the form; see the confirmation."""
from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)

from webapp.clock import now
from webapp.extensions import limiter
from webapp.public.flow import (
    attach_errors,
    booking_request,
    chosen_time,
    picker_context,
    picker_state,
    render_partial,
    service_or_404,
)
from webapp.public.forms import BookingForm
from webapp.public.picker import build_view
from webapp.ratelimits import configured
from webapp.services.availability import active_service_types
from webapp.services.bookings import booking_by_token, create_booking
from webapp.services.errors import SlotTaken, ValidationFailed
from webapp.services.settings import enabled_providers
from webapp.services.tokens import manage_url

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    """List the services a client can book."""
    return render_template("public/index.html", services=active_service_types())


@bp.get("/book/<key>")
def calendar(key: str):
    """Show the month calendar and, once a day is chosen, its free times."""
    service = service_or_404(key)
    state = picker_state(service)
    return render_partial("public/calendar.html", "public/_picker.html",
                    **picker_context(service, state))


@bp.route("/book/<key>/details", methods=["GET", "POST"])
@limiter.limit(configured("BOOKING_RATE_LIMIT"),
               methods=["POST"])
def details(key: str):
    """Ask for the client's details for the chosen time, then book it."""
    service = service_or_404(key)
    form = BookingForm(request.form if request.method == "POST" else request.args)
    form.offer_providers(enabled_providers())
    start, state = chosen_time(service, form)
    if request.method == "GET":
        form.title.data = form.title.data or service.name
        return render_template("public/details.html", service=service, form=form,
                               start=start, state=state)
    return _book(service, form, start, state)


def _book(service, form: BookingForm, start, state):
    """Create the booking from a posted form, or re-render it with what went wrong."""
    error, status = "Please correct the highlighted fields.", 422
    if form.validate():
        try:
            created = create_booking(booking_request(service, form, start, state), now())
        except ValidationFailed as exc:
            unshown = attach_errors(form, exc.fields)
            error = " ".join([exc.message, *unshown])
        except SlotTaken as exc:
            return _offer_other_times(service, form, start, state, exc.message)
        else:
            return redirect(url_for("public.confirmed", token=created.manage_token), code=303)
    return render_template("public/details.html", service=service, form=form, start=start,
                           state=state, error=error), status


def _offer_other_times(service, form: BookingForm, start, state, message: str):
    """Keep the client's details and offer the day's fresh times (or the calendar if none)."""
    alternatives = build_view(service, state, now()).times
    if not alternatives:
        return render_partial("public/calendar.html", "public/_picker.html", 409,
                              **picker_context(service, state, taken=message))
    return render_template("public/details.html", service=service, form=form, start=start,
                           state=state, error=message, alternatives=alternatives), 409


@bp.get("/booking/<token>")
def confirmed(token: str):
    """Show a booking's confirmation with its details and manage link."""
    booking = booking_by_token(token)
    if booking is None:
        abort(404)
    response = current_app.make_response(render_template(
        "public/confirmed.html", booking=booking, manage_url=manage_url(booking.uid)))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
