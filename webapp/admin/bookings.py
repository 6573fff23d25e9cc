"""Bookings: the filtered list, CSV export, one booking's page and its actions."""
from flask import Response, abort, render_template, request, url_for

from webapp.admin.blueprint import bp, done, page_number, status_for, zone
from webapp.clock import now
from webapp.htmx import render_page_or_fragment
from webapp.services import booking_admin, booking_queries
from webapp.services.bookings import cancel_booking, complete_booking, confirm_booking, mark_no_show
from webapp.services.errors import NotFound, ServiceError, ValidationFailed

PANEL = "admin/bookings/_booking.html"


@bp.get("/bookings")
def bookings():
    """List bookings with filters and pages."""
    try:
        filter_ = booking_queries.parse_filter(request.args)
    except ValidationFailed as exc:
        return render_template("admin/bookings/list.html", error=exc, filter=booking_queries.BookingFilter(),
                               result=None, tz=zone()), 422
    result = booking_queries.list_bookings(filter_, zone(), page_number())
    return render_page_or_fragment("admin/bookings/list.html", "admin/bookings/_rows.html",
                                   filter=filter_, result=result, tz=zone())


@bp.get("/bookings.csv")
def bookings_csv():
    """Download the filtered bookings as CSV."""
    try:
        filter_ = booking_queries.parse_filter(request.args)
    except ValidationFailed as exc:
        abort(400, description=exc.message)
    return Response(booking_queries.bookings_csv(filter_, zone()), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="bookings.csv"'})


def _booking_or_404(booking_id: int):
    """Return the booking or answer 404."""
    booking = booking_queries.get_booking(booking_id)
    if booking is None:
        abort(404)
    return booking


@bp.get("/bookings/<int:booking_id>")
def booking(booking_id: int):
    """Show every field of a booking and what can be done with it."""
    return render_page_or_fragment("admin/bookings/detail.html", PANEL,
                                   booking=_booking_or_404(booking_id), tz=zone())


def act(booking_id: int, message: str, action, status: int = 200):
    """Run a booking action; answer with the updated booking, or the booking and the refusal."""
    try:
        action()
    except ServiceError as exc:
        if isinstance(exc, NotFound):
            abort(404)
        return render_page_or_fragment("admin/bookings/detail.html", PANEL, status_for(exc),
                                       error=exc, form=request.form,
                                       booking=_booking_or_404(booking_id), tz=zone())
    return done(message, PANEL, url_for("admin.booking", booking_id=booking_id),
                booking=_booking_or_404(booking_id), tz=zone())


@bp.post("/bookings/<int:booking_id>/confirm")
def confirm(booking_id: int):
    """Approve a pending booking."""
    return act(booking_id, "Booking confirmed.", lambda: confirm_booking(booking_id, now()))


@bp.post("/bookings/<int:booking_id>/cancel")
def cancel(booking_id: int):
    """Cancel a booking with a reason; the client is told."""
    return act(booking_id, "Booking cancelled; the client will be told.",
               lambda: cancel_booking(booking_id, request.form.get("cancellation_reason"), now()))


@bp.post("/bookings/<int:booking_id>/complete")
def complete(booking_id: int):
    """Mark a booking whose meeting took place as completed."""
    return act(booking_id, "Booking marked completed.", lambda: complete_booking(booking_id, now()))


@bp.post("/bookings/<int:booking_id>/no-show")
def no_show(booking_id: int):
    """Record that the client did not come."""
    return act(booking_id, "Booking marked as no-show.", lambda: mark_no_show(booking_id, now()))


@bp.post("/bookings/<int:booking_id>/notes")
def notes(booking_id: int):
    """Save the booking's internal notes."""
    return act(booking_id, "Notes saved.",
               lambda: booking_admin.save_internal_notes(booking_id, request.form.get("internal_notes")))


@bp.post("/bookings/<int:booking_id>/follow-up")
def follow_up(booking_id: int):
    """Write a follow-up message; the worker sends it."""
    return act(booking_id, "Follow-up queued.", lambda: booking_admin.write_follow_up(
        booking_id, request.form.get("subject"), request.form.get("message"), now()))


@bp.post("/bookings/<int:booking_id>/resend")
def resend(booking_id: int):
    """Send the confirmation email again."""
    return act(booking_id, "Confirmation queued again.",
               lambda: booking_admin.resend_confirmation(booking_id, now()))
