"""Moving a booking: the public picker with admin links, a confirmation step, the move."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.admin.blueprint import bp, status_for, zone
from webapp.booking_flow.picker_pages import (
    PICKER_FRAGMENT,
    chosen_start_or_400,
    picker_context,
    picker_state_or_400,
)
from webapp.clock import now
from webapp.htmx import render_page_or_fragment
from webapp.scheduling import get_zone
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
        abort(409, description=_("Only a pending or confirmed booking of an active service type can be moved."))
    return booking, service


def _context(booking_id: int, args: dict, **extra) -> dict:
    """Return the picker's context for moving a booking, its links pointing into the admin."""
    booking, service = _movable(booking_id)
    state = picker_state_or_400({"tz": zone(), "duration": booking.duration_minutes, **args},
                                service, zone())
    return picker_context(service, state, calendar="admin.reschedule",
                          chosen="admin.reschedule_confirm", url_values={"booking_id": booking.id},
                          exclude_booking_id=booking.id, booking=booking, tz=zone(), **extra)


def _business_day(start) -> str:
    """Return the business-zone date of an instant, as the picker's `day` parameter."""
    return f"{start.astimezone(get_zone(zone())):%Y-%m-%d}"


def _start() -> tuple:
    """Return the chosen start and duration from the request, or answer 400."""
    values = request.values
    start = chosen_start_or_400(values.get("start"))
    try:
        return start, int(values.get("duration", ""))
    except ValueError:
        abort(400, description=_("The chosen time is not valid."))


@bp.get("/bookings/<int:booking_id>/reschedule")
def reschedule(booking_id: int):
    """Show the calendar of free times to move a booking to."""
    return render_page_or_fragment("admin/bookings/reschedule.html", PICKER_FRAGMENT,
                                   **_context(booking_id, request.args.to_dict()))


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
        return render_page_or_fragment("admin/bookings/reschedule.html", PICKER_FRAGMENT,
                                       status_for(exc), taken=exc.message,
                                       **_context(booking_id, {"day": _business_day(start)}))
    flash(_("Booking moved; the client will be told."))
    return redirect(url_for("admin.booking", booking_id=booking_id), code=303)
