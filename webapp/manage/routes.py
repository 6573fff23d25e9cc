"""Manage pages: view a booking, add it to a calendar, reschedule or cancel it, find lost links."""
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from webapp.booking_flow.flow import keep_private
from webapp.booking_flow.picker_pages import (
    PICKER_FRAGMENT,
    chosen_start_or_400,
    picker_context,
    picker_state_or_400,
)
from webapp.clock import now
from webapp.extensions import limiter
from webapp.htmx import render_page_or_fragment
from webapp.i18n import current_language, follow_booking_language
from webapp.manage.calendar_links import add_to_calendar_links, booking_ics
from webapp.manage.forms import CancelForm, LostLinkForm, RescheduleForm
from webapp.ratelimits import configured, token_lookup_limit
from webapp.scheduling import get_zone, is_valid_zone
from webapp.services.availability import get_service_type
from webapp.services.errors import NotAllowed, SlotTaken, ValidationFailed
from webapp.services.self_service import (
    business_contact,
    cancel_as_client,
    change_refusal,
    manageable_booking,
    reschedule_as_client,
    send_lost_links,
)
from webapp.services.validation import address_key

bp = Blueprint("manage", __name__, url_prefix="/manage")


CHANGE_LIMIT = configured("MANAGE_CHANGE_RATE_LIMIT")
LOST_LIMIT = configured("MANAGE_LOST_RATE_LIMIT")
LOST_PER_ADDRESS_LIMIT = configured("MANAGE_LOST_PER_ADDRESS_LIMIT")


@bp.after_app_request
def _private(response: Response) -> Response:
    """Keep manage tokens out of caches and Referer headers, on every /manage/ answer, 404s included."""
    if request.path.startswith("/manage/"):
        keep_private(response)
    return response


def _booking_or_404(token: str):
    """Return the booking the token opens, or answer the one 404 every bad token gets."""
    booking = manageable_booking(token, now())
    if booking is None:
        abort(404)
    follow_booking_language(booking.locale)
    return booking


def _page(booking, token: str, template: str = "manage/view.html", status: int = 200, **extra):
    """Render a manage page with what every one of them shows."""
    return render_template(template, booking=booking, token=token,
                           refusal=change_refusal(booking, now()),
                           calendar_links=add_to_calendar_links(booking),
                           ics_url=url_for("manage.ics", token=token), **extra), status


@bp.get("/<token>")
@token_lookup_limit()
def view(token: str):
    """Show the booking to its client, with what they can do next."""
    booking = _booking_or_404(token)
    return _page(booking, token)


@bp.get("/<token>/booking.ics")
@token_lookup_limit()
def ics(token: str):
    """Download the booking as an .ics file (a cancellation once it is cancelled)."""
    booking = _booking_or_404(token)
    return Response(booking_ics(booking, now()), mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="booking.ics"'})


@bp.get("/<token>/cancel")
@token_lookup_limit()
def cancel_confirm(token: str):
    """Ask the client to confirm the cancellation (a GET changes nothing)."""
    booking = _booking_or_404(token)
    return _page(booking, token, "manage/cancel.html", form=CancelForm())


@bp.post("/<token>/cancel")
@limiter.limit(CHANGE_LIMIT)
def cancel(token: str):
    """Cancel the booking, or explain why not."""
    booking = _booking_or_404(token)
    form = CancelForm()
    if not form.validate():
        return _page(booking, token, "manage/cancel.html", 422, form=form,
                     error=_("Please correct the highlighted fields."))
    try:
        cancel_as_client(booking, form.cancellation_reason.data, now(), locale=current_language())
    except (NotAllowed, ValidationFailed) as exc:
        return _page(booking, token, "manage/cancel.html", 409, form=form, error=exc.message)
    flash(_("Your booking is cancelled. We sent you a confirmation by email."), "success")
    return redirect(url_for("manage.view", token=token), code=303)


def _reschedule_context(booking, token: str, service, args) -> dict:
    """Return the picker's context for moving `booking`, links pointing back here."""
    defaults = {"tz": booking.timezone, "duration": booking.duration_minutes}
    if not args.get("month") and not args.get("day"):  # open on the booking's own month
        defaults["month"] = f"{booking.scheduled_at.astimezone(get_zone(booking.timezone)):%Y-%m}"
    state = picker_state_or_400({**defaults, **args}, service, booking.timezone)
    return picker_context(service, state, calendar="manage.reschedule",
                          chosen="manage.reschedule_confirm", url_values={"token": token},
                          exclude_booking_id=booking.id, booking=booking, token=token)


def _changeable_service(booking):
    """Return the booking's service if the client may move it now, else None."""
    if change_refusal(booking, now()):
        return None
    return get_service_type(booking.service_type)


@bp.get("/<token>/reschedule")
@token_lookup_limit()
def reschedule(token: str):
    """Show the calendar picker to choose a new time."""
    booking = _booking_or_404(token)
    service = _changeable_service(booking)
    if service is None:
        return _page(booking, token, "manage/view.html", 409, error=_cannot_move(booking))
    return render_page_or_fragment("manage/reschedule.html", PICKER_FRAGMENT,
                                   **_reschedule_context(booking, token, service,
                                                         request.args.to_dict()))


def _cannot_move(booking) -> str:
    """Explain why the booking cannot be moved online."""
    return change_refusal(booking, now()) or (
        _("This service can no longer be booked online. Please contact %(contact)s.", contact=business_contact()))


@bp.get("/<token>/reschedule/confirm")
@token_lookup_limit()
def reschedule_confirm(token: str):
    """Ask the client to confirm the move to the chosen time (a GET changes nothing)."""
    booking = _booking_or_404(token)
    form = RescheduleForm(formdata=request.args)
    start = _chosen_time_or_400(form)
    return _page(booking, token, "manage/reschedule_confirm.html", form=form, start=start)


def _chosen_time_or_400(form: RescheduleForm):
    """Return the chosen start after checking the form's time, zone and length, or answer 400."""
    start = chosen_start_or_400(form.start.data)
    if not is_valid_zone(form.tz.data or "") or not (form.duration.data or "").isdigit():
        abort(400, description=_("The chosen time is not valid. Please choose the time again."))
    return start


@bp.post("/<token>/reschedule")
@limiter.limit(CHANGE_LIMIT)
def reschedule_submit(token: str):
    """Move the booking to the chosen time, or show the picker with what went wrong."""
    booking = _booking_or_404(token)
    form = RescheduleForm()
    start = _chosen_time_or_400(form)
    try:
        reschedule_as_client(booking, start, now(), int(form.duration.data), locale=current_language())
    except NotAllowed as exc:
        return _page(booking, token, "manage/view.html", 409, error=exc.message)
    except (SlotTaken, ValidationFailed) as exc:
        service = get_service_type(booking.service_type)
        day = start.astimezone(get_zone(form.tz.data)).date().isoformat()
        args = {"tz": form.tz.data, "duration": form.duration.data, "day": day}
        return render_template("manage/reschedule.html", taken=exc.message,
                               **_reschedule_context(booking, token, service, args)), 409
    flash(_("Your booking has moved. We sent you an updated invitation by email."), "success")
    return redirect(url_for("manage.view", token=token), code=303)


@bp.route("/lost", methods=["GET", "POST"])
@limiter.limit(LOST_LIMIT, methods=["POST"])
@limiter.limit(LOST_PER_ADDRESS_LIMIT, methods=["POST"],
               key_func=lambda: "lost:" + address_key(request.form.get("email")))
def lost():
    """Email the manage links of an address's upcoming bookings; the answer never says if any."""
    form = LostLinkForm()
    if request.method == "GET" or not form.validate():
        return render_template("manage/lost.html", form=form), 200 if request.method == "GET" else 422
    try:
        send_lost_links(form.email.data, now(), current_language())
    except ValidationFailed as exc:
        form.email.errors = [exc.fields.get("email", exc.message)]
        return render_template("manage/lost.html", form=form), 422
    return render_template("manage/lost_sent.html")
