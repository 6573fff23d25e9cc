"""Moving a booking: the public picker with admin links, a confirmation step, the move."""
from flask import abort, flash, redirect, render_template, request, url_for

from webapp.admin.blueprint import bp, partial, status_for, zone
from webapp.clock import now
from webapp.scheduling import get_zone
from webapp.public.picker import BadPickerInput, build_view, parse_start, parse_state
from webapp.services.availability import get_service_type
from webapp.services.booking_queries import get_booking
from webapp.services.bookings import reschedule_booking
from webapp.services.errors import ServiceError


def _movable(booking_id: int):
    """Return the booking and its bookable service type, or answer 404/409."""
    booking = get_booking(booking_id)
    if booking is None:
        abort(404)
    service = get_service_type(booking.service_type)
    if not booking.is_active or service is None:
        abort(409, description="Only a pending or confirmed booking of an active service type can be moved.")
    return booking, service


def _context(booking_id: int, args: dict, **extra) -> dict:
    """Return the picker's context for moving a booking, its links pointing into the admin."""
    booking, service = _movable(booking_id)
    try:
        state = parse_state({"tz": zone(), "duration": booking.duration_minutes, **args},
                            service, zone(), now())
    except BadPickerInput as exc:
        abort(400, description=str(exc))
    return dict(
        booking=booking, service=service, state=state, tz=zone(),
        view=build_view(service, state, now(), exclude_booking_id=booking.id),
        picker_href=lambda params: url_for("admin.reschedule", booking_id=booking.id, **params),
        time_href=lambda slot: url_for("admin.reschedule_confirm", booking_id=booking.id,
                                       start=slot.start.isoformat(), tz=state.tz, duration=state.duration),
        **extra)


def _start() -> tuple:
    """Return the chosen start and duration from the request, or answer 400."""
    values = request.values
    try:
        return parse_start(values.get("start", "")), int(values.get("duration", ""))
    except ValueError:
        abort(400, description="The chosen time is not valid.")


@bp.get("/bookings/<int:booking_id>/reschedule")
def reschedule(booking_id: int):
    """Show the calendar of free times to move a booking to."""
    return partial("admin/bookings/reschedule.html", "public/_picker.html", **_context(booking_id, request.args.to_dict()))


@bp.get("/bookings/<int:booking_id>/reschedule/confirm")
def reschedule_confirm(booking_id: int):
    """Ask the admin to confirm the chosen new time (a GET never moves anything)."""
    start, duration = _start()
    booking, _service = _movable(booking_id)
    return render_template("admin/bookings/reschedule_confirm.html", booking=booking, start=start,
                           duration=duration, tz=zone())


@bp.post("/bookings/<int:booking_id>/reschedule")
def reschedule_save(booking_id: int):
    """Move the booking, or show the picker again with what went wrong."""
    start, duration = _start()
    try:
        reschedule_booking(booking_id, start, now(), duration_minutes=duration)
    except ServiceError as exc:
        return partial("admin/bookings/reschedule.html", "public/_picker.html", status_for(exc),
                       taken=exc.message, **_context(booking_id, {"day": f"{start.astimezone(get_zone(zone())):%Y-%m-%d}"}))
    flash("Booking moved; the client will be told.")
    return redirect(url_for("admin.booking", booking_id=booking_id), code=303)
