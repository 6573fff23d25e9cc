"""The widget's side of the booking flow: its layout, its signed form token, the events it posts."""
from datetime import timedelta

from flask import abort, request
from flask_babel import gettext as _

from webapp.booking_flow.flow import BookingFlow
from webapp.clock import now
from webapp.embed import policy
from webapp.mail.references import booking_reference
from webapp.public.forms import BookingForm
from webapp.services.embed_tokens import (
    BadEmbedToken,
    SlotClaim,
    issue_form_token,
    read_form_token,
)


class WidgetFlow(BookingFlow):
    """The booking flow inside a partner's frame: no cookie, so a signed token guards the form."""

    layout = "embed/base.html"
    calendar_page = "embed/calendar.html"
    links_leave_in_new_tab = True  # the manage pages and meetings refuse to be framed

    def new_form(self, formdata) -> BookingForm:
        """Return the booking form without Flask-WTF's CSRF token (it would need a session)."""
        return BookingForm(formdata, meta={"csrf": False})

    def refuse_forged_post(self, service, start, state) -> None:
        """Refuse a post from another origin, or whose token is forged, expired or for another slot."""
        if not policy.post_is_same_origin(request):
            abort(403, description=_("This form can only be sent from the booking widget itself."))
        try:
            claim = read_form_token(request.form.get("embed_token", ""), now())
        except BadEmbedToken as exc:
            abort(400, description=str(exc))
        if not claim.covers(service.key, start, state.duration):
            abort(400, description=_("This booking form does not match the chosen time. "
                                     "Please choose a time again."))

    def guard_fields(self, service, state, offered: list | None) -> dict[str, str]:
        """Return a token for the `offered` starts, or the posted one when nothing new is offered."""
        if offered is None:
            return {"embed_token": request.form.get("embed_token", "")}
        claim = SlotClaim(service.key, offered[0], offered[-1], state.duration)
        return {"embed_token": issue_form_token(claim, now())}

    def slot_selected_event(self, service, start, state) -> dict:
        """Tell the partner page which time the client chose."""
        end = start + timedelta(minutes=state.duration)
        return {"name": "booking:slot-selected",
                "detail": {"service_type": service.key, "start": start.isoformat(),
                           "end": end.isoformat(), "timezone": state.tz,
                           "duration_minutes": state.duration}}

    def booking_created_event(self, booking) -> dict:
        """Tell the partner page what was booked: a reference that opens nothing, never the uid."""
        return {"name": "booking:created",
                "detail": {"reference": booking_reference(booking.uid), "start": booking.scheduled_at.isoformat(),
                           "end": booking.ends_at.isoformat(), "timezone": booking.timezone,
                           "service_type": booking.service_type,
                           "meeting_url": booking.meeting_url}}
