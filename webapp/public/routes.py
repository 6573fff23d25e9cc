"""Public pages: choose a service, a day, a time; fill the form; see the confirmation."""
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from webapp.clock import now
from webapp.extensions import limiter
from webapp.public.forms import BookingForm
from webapp.scheduling import get_zone
from webapp.public.picker import BadPickerInput, build_view, parse_start, parse_state
from webapp.services.availability import active_service_types, get_service_type
from webapp.services.bookings import BookingRequest, booking_by_token, create_booking
from webapp.services.errors import SlotTaken, ValidationFailed
from webapp.services.settings import enabled_providers, get_settings
from webapp.services.tokens import manage_url

bp = Blueprint("public", __name__)


def _partial(page: str, fragment: str, status: int = 200, **context):
    """Render the whole page, or only the fragment for an htmx request."""
    template = fragment if request.headers.get("HX-Request") == "true" else page
    response = current_app.make_response((render_template(template, **context), status))
    response.vary.add("HX-Request")
    return response


def _service_or_404(key: str):
    """Return the active service type `key` or answer 404."""
    service = get_service_type(key)
    if service is None:
        abort(404)
    return service


def _picker_state(service):
    """Parse the picker's URL parameters or answer 400 with the reason."""
    try:
        return parse_state(request.args, service, get_settings().business_timezone, now())
    except BadPickerInput as exc:
        abort(400, description=str(exc))


@bp.get("/")
def index():
    """List the services a client can book."""
    return render_template("public/index.html", services=active_service_types())


@bp.get("/book/<key>")
def calendar(key: str):
    """Show the month calendar and, once a day is chosen, its free times."""
    service = _service_or_404(key)
    state = _picker_state(service)
    return _partial("public/calendar.html", "public/_picker.html",
                    **_picker_context(service, state))


def _picker_context(service, state, **extra) -> dict:
    """Return what the picker templates need, with links into the current blueprint."""
    return dict(
        service=service, state=state, view=build_view(service, state, now()),
        picker_href=lambda params: url_for(".calendar", key=service.key, **params),
        time_href=lambda slot: url_for(".details", key=service.key,
                                       start=slot.start.isoformat(), tz=state.tz,
                                       duration=state.duration),
        **extra,
    )


@bp.route("/book/<key>/details", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config.get("BOOKING_RATE_LIMIT", "20/minute;200/hour"),
               methods=["POST"])
def details(key: str):
    """Ask for the client's details for the chosen time, then book it."""
    service = _service_or_404(key)
    form = BookingForm(request.form if request.method == "POST" else request.args)
    form.offer_providers(enabled_providers())
    start, state = _chosen_time(service, form)
    if request.method == "GET":
        form.title.data = form.title.data or service.name
        return render_template("public/details.html", service=service, form=form,
                               start=start, state=state)
    return _book(service, form, start, state)


def _chosen_time(service, form: BookingForm):
    """Parse the chosen start and picker state from the form, or answer 400."""
    try:
        start = parse_start(form.start.data or "")
        state = parse_state({"tz": form.tz.data, "duration": form.duration.data,
                             "day": start.astimezone(get_zone(form.tz.data)).date().isoformat()},
                            service, get_settings().business_timezone, now())
    except (ValueError, BadPickerInput) as exc:
        abort(400, description=f"The chosen time is not valid: {exc}")
    return start, state


def _book(service, form: BookingForm, start, state):
    """Create the booking from a posted form, or re-render it with what went wrong."""
    error, status = None, 200
    if form.validate():
        try:
            created = create_booking(_request_from(service, form, start, state), now())
        except ValidationFailed as exc:
            unshown = _attach_errors(form, exc.fields)
            error, status = " ".join([exc.message, *unshown]), 422
        except SlotTaken as exc:
            return _partial("public/calendar.html", "public/_picker.html", 409,
                            **_picker_context(service, state, taken=exc.message))
        else:
            return redirect(url_for("public.confirmed", token=created.manage_token), code=303)
    else:
        error, status = "Please correct the highlighted fields.", 422
    return render_template("public/details.html", service=service, form=form, start=start,
                           state=state, error=error), status


def _request_from(service, form: BookingForm, start, state) -> BookingRequest:
    """Build the service request from a valid form."""
    return BookingRequest(
        service_type=service.key, scheduled_at=start, timezone=state.tz,
        duration_minutes=state.duration, client_name=form.client_name.data,
        client_email=form.client_email.data, client_phone=form.client_phone.data,
        client_company=form.client_company.data, title=form.title.data,
        description=form.description.data, client_notes=form.client_notes.data,
        meeting_provider=form.meeting_provider.data,
    )


def _attach_errors(form: BookingForm, fields: dict[str, str]) -> list[str]:
    """Show the service's field errors beside the form's fields; return the others."""
    unshown = []
    for name, message in fields.items():
        field = getattr(form, name, None)
        if field is None:
            unshown.append(message)
        else:
            field.errors = [*field.errors, message]
    return unshown


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
