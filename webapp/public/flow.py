"""Pieces of the booking flow shared by the site, the widget and the manage pages."""
from flask import abort, current_app, render_template, request, url_for

from webapp.clock import now
from webapp.public.forms import BookingForm
from webapp.public.picker import BadPickerInput, build_view, parse_start, parse_state
from webapp.scheduling import get_zone
from webapp.services.availability import get_service_type
from webapp.services.bookings import BookingRequest
from webapp.services.settings import get_settings


def render_partial(page: str, fragment: str, status: int = 200, **context):
    """Render the whole page, or only the fragment for an htmx request."""
    template = fragment if request.headers.get("HX-Request") == "true" else page
    response = current_app.make_response((render_template(template, **context), status))
    response.vary.add("HX-Request")
    return response


def service_or_404(key: str):
    """Return the active service type `key` or answer 404."""
    service = get_service_type(key)
    if service is None:
        abort(404)
    return service


def picker_state(service):
    """Parse the picker's URL parameters or answer 400 with the reason."""
    try:
        return parse_state(request.args, service, get_settings().business_timezone, now())
    except BadPickerInput as exc:
        abort(400, description=str(exc))


def picker_context(service, state, **extra) -> dict:
    """Return what the picker templates need, with links into the current blueprint."""
    return dict(
        service=service, state=state, view=build_view(service, state, now()),
        picker_href=lambda params: url_for(".calendar", key=service.key, **params),
        time_href=lambda slot: url_for(".details", key=service.key,
                                       start=slot.start.isoformat(), tz=state.tz,
                                       duration=state.duration),
        **extra,
    )


def chosen_time(service, form: BookingForm):
    """Parse the chosen start and picker state from the form, or answer 400."""
    try:
        start = parse_start(form.start.data or "")
        state = parse_state({"tz": form.tz.data, "duration": form.duration.data,
                             "day": start.astimezone(get_zone(form.tz.data)).date().isoformat()},
                            service, get_settings().business_timezone, now())
    except (ValueError, BadPickerInput) as exc:
        abort(400, description=f"The chosen time is not valid: {exc}")
    return start, state


def booking_request(service, form: BookingForm, start, state) -> BookingRequest:
    """Build the service request from a valid form."""
    return BookingRequest(
        service_type=service.key, scheduled_at=start, timezone=state.tz,
        duration_minutes=state.duration, client_name=form.client_name.data,
        client_email=form.client_email.data, client_phone=form.client_phone.data,
        client_company=form.client_company.data, title=form.title.data,
        description=form.description.data, client_notes=form.client_notes.data,
        meeting_provider=form.meeting_provider.data,
    )


def attach_errors(form: BookingForm, fields: dict[str, str]) -> list[str]:
    """Show the service's field errors beside the form's fields; return the others."""
    unshown = []
    for name, message in fields.items():
        field = getattr(form, name, None)
        if field is None:
            unshown.append(message)
        else:
            field.errors = [*field.errors, message]
    return unshown
