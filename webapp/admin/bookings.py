"""Bookings: the filtered list, CSV export, one booking's page and its actions."""
from dataclasses import replace

from flask import Response, abort, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.admin.blueprint import bp, done, hosts_offered, own_host, page_number, refusal, shown_host, status_for, zone
from webapp.admin.forms import BookingFilterForm, CancelForm, FollowUpForm, NotesForm, booking_forms
from webapp.clock import now
from webapp.htmx import render_page_or_fragment
from webapp.services import booking_admin, booking_queries
from webapp.services.bookings import cancel_booking, complete_booking, confirm_booking, mark_no_show
from webapp.services.errors import NotFound, ServiceError

PANEL = "admin/bookings/_booking.html"
CONFIRM_OUTCOME = "admin/bookings/_confirm_outcome.html"
#: statuses of a meeting still to happen (an outcome recorded ahead of time asks first)
LIVE = ("pending", "confirmed")
FILTER_INVALID = _l("The filter is not valid.")


@bp.get("/bookings")
def bookings():
    """List bookings with filters and pages; a bad filter is shown beside its field (422)."""
    form = BookingFilterForm(request.args)
    if not form.validate():
        return render_template("admin/bookings/list.html", error=FILTER_INVALID, form=form,
                               result=None, tz=zone(), hosts=hosts_offered(), shown_host=None), 422
    filter_ = _scoped(form)
    result = booking_queries.list_bookings(filter_, zone(), page_number())
    return render_page_or_fragment("admin/bookings/list.html", "admin/bookings/_rows.html",
                                   form=form, filter=filter_, result=result, tz=zone(),
                                   hosts=hosts_offered(), shown_host=filter_.host)


def _scoped(form: BookingFilterForm) -> booking_queries.BookingFilter:
    """Return the form's filter limited to the host shown (a host login: always their own)."""
    return replace(form.filter(), host=shown_host())


@bp.get("/bookings.csv")
def bookings_csv():
    """Download the filtered bookings as CSV."""
    form = BookingFilterForm(request.args)
    if not form.validate():
        abort(400, description=str(FILTER_INVALID))
    # The rows are read while the response streams: keep the request's context (and with
    # it the database session) open until the last one is sent.
    rows = stream_with_context(booking_queries.bookings_csv(_scoped(form), zone()))
    return Response(rows, mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="bookings.csv"'})


def _booking_or_404(booking_id: int):
    """Return the booking or answer 404."""
    booking = booking_queries.get_booking(booking_id, own_host())
    if booking is None:
        abort(404)
    return booking


def _panel(booking_id: int, posted=None) -> dict:
    """Return what the booking panel shows: the booking, its forms (`posted` as sent) and the zone."""
    booking = _booking_or_404(booking_id)
    return dict(booking=booking, tz=zone(), **booking_forms(booking, posted))


@bp.get("/bookings/<int:booking_id>")
def booking(booking_id: int):
    """Show every field of a booking and what can be done with it."""
    return render_page_or_fragment("admin/bookings/detail.html", PANEL, **_panel(booking_id))


def act(booking_id: int, message: str, action, form=None):
    """Validate `form` (if any), run a booking action and answer with the updated booking panel.

    On a refusal the panel shows the form as sent, with messages beside its fields.
    """
    error = None
    if form is None or form.validate():
        try:
            action()
        except NotFound:
            abort(404)
        except ServiceError as exc:
            error = exc
        else:
            return done(message, PANEL, url_for("admin.booking", booking_id=booking_id), **_panel(booking_id))
    return render_page_or_fragment("admin/bookings/detail.html", PANEL,
                                   status_for(error) if error else 422,
                                   error=refusal(form, error), **_panel(booking_id, form))


@bp.post("/bookings/<int:booking_id>/confirm")
def confirm(booking_id: int):
    """Approve a pending booking."""
    return act(booking_id, _("Booking confirmed."), lambda: confirm_booking(booking_id, now()))


@bp.post("/bookings/<int:booking_id>/cancel")
def cancel(booking_id: int):
    """Cancel a booking with a reason; the client is told."""
    form = CancelForm()
    return act(booking_id, _("Booking cancelled; the client will be told."),
               lambda: cancel_booking(booking_id, form.cancellation_reason.data, now()), form)


#: the outcomes an admin records after a meeting: endpoint -> (what the button says, service call)
OUTCOMES = {"admin.complete": (_l("Mark completed"), complete_booking),
            "admin.no_show": (_l("Mark no-show"), mark_no_show)}


def record_outcome(booking_id: int, endpoint: str, message: str):
    """Record a meeting's outcome; for a meeting that has not started, first ask (a confirmation step).

    The step is a page (a fragment for htmx) whose form posts again with `confirmed=yes`, so it
    works without JavaScript; a past meeting's outcome is recorded at once.
    """
    booking = _booking_or_404(booking_id)
    label, service_call = OUTCOMES[endpoint]
    still_ahead = booking.status in LIVE and booking.scheduled_at > now()  # else the service decides at once
    if still_ahead and request.form.get("confirmed") != "yes":
        return render_page_or_fragment("admin/bookings/confirm_outcome.html", CONFIRM_OUTCOME,
                                       booking=booking, tz=zone(), endpoint=endpoint, label=label)
    return act(booking_id, message, lambda: service_call(booking_id, now()))


@bp.post("/bookings/<int:booking_id>/complete")
def complete(booking_id: int):
    """Mark a booking whose meeting took place as completed (asking first if it is still ahead)."""
    return record_outcome(booking_id, "admin.complete", _("Booking marked completed."))


@bp.post("/bookings/<int:booking_id>/no-show")
def no_show(booking_id: int):
    """Record that the client did not come (asking first if the meeting is still ahead)."""
    return record_outcome(booking_id, "admin.no_show", _("Booking marked as no-show."))


@bp.post("/bookings/<int:booking_id>/notes")
def notes(booking_id: int):
    """Save the booking's internal notes."""
    form = NotesForm()
    return act(booking_id, _("Notes saved."),
               lambda: booking_admin.save_internal_notes(booking_id, form.internal_notes.data), form)


@bp.post("/bookings/<int:booking_id>/follow-up")
def follow_up(booking_id: int):
    """Write a follow-up message; the worker sends it."""
    form = FollowUpForm()
    return act(booking_id, _("Follow-up queued."), lambda: booking_admin.write_follow_up(
        booking_id, form.subject.data, form.message.data, now()), form)


@bp.post("/bookings/<int:booking_id>/resend")
def resend(booking_id: int):
    """Send the confirmation email again."""
    return act(booking_id, _("Confirmation queued again."),
               lambda: booking_admin.resend_confirmation(booking_id, now()))
