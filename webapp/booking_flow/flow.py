"""The client's path from a calendar to a booking, written once for the site and the widget.

A blueprint makes one `BookingFlow` (the site) or a subclass (the widget) and calls its
`calendar`, `details` and `confirmed` from its views; links stay inside the calling
blueprint (`.calendar`, `.details`, `.confirmed`). A subclass changes only the hooks: the
layout and calendar page, the hidden fields guarding the form and how a post is checked,
and the events a page announces.
"""
from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf

from webapp.booking_flow.picker_pages import (
    PICKER_FRAGMENT,
    chosen_time,
    picker_context,
    picker_state_or_400,
)
from webapp.clock import now
from webapp.htmx import render_page_or_fragment
from webapp.i18n import current_language, follow_booking_language
from webapp.manage.calendar_links import add_to_calendar_links
from webapp.public.forms import BookingForm
from webapp.public.picker import build_view
from webapp.services.availability import get_service_type
from webapp.services.bookings import BookingRequest, create_booking
from webapp.services.consent import privacy_terms
from webapp.services.errors import SlotTaken, ValidationFailed
from webapp.services.self_service import manageable_booking
from webapp.services.settings import enabled_providers, get_settings
from webapp.services.tokens import manage_url

DETAILS_PAGE = "public/details.html"
CONFIRMED_PAGE = "public/confirmed.html"
FIX_FIELDS = _l("Please correct the highlighted fields.")


def service_or_404(key: str):
    """Return the active service type `key` or answer 404."""
    service = get_service_type(key)
    if service is None:
        abort(404)
    return service


def keep_private(response):
    """Mark a page opened by a booking token: never cached, never sent on as a Referer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def booking_request(service, form: BookingForm, start, state) -> BookingRequest:
    """Build the service request from a valid form."""
    return BookingRequest(
        service_type=service.key, scheduled_at=start, timezone=state.tz,
        duration_minutes=state.duration, client_name=form.client_name.data,
        client_email=form.client_email.data, client_phone=form.client_phone.data,
        client_company=form.client_company.data, title=form.title.data,
        description=form.description.data, client_notes=form.client_notes.data,
        meeting_provider=form.meeting_provider.data, host=state.host.slug if state.host else None,
        marketing_consent=bool(form.marketing_consent.data),
        locale=current_language(),
    )


def attach_errors(form: BookingForm, fields: dict[str, str]) -> list[str]:
    """Show the service's field errors beside the form's visible fields; return the others.

    A field the page does not show (a hidden one such as `start`, or one the form lacks
    such as `scheduled_at`) cannot be highlighted, so its message is returned to be shown
    as text.
    """
    unshown = []
    for name, message in fields.items():
        field = getattr(form, name, None)
        if field is None or field.type == "HiddenField":
            unshown.append(message)
        else:
            field.errors = [*field.errors, message]
    return unshown


def refusal_text(form: BookingForm, refusal: ValidationFailed) -> str:
    """Put the service's field errors on the form; return the text the alert above it shows.

    The service's own message asks to correct the highlighted fields, so it is shown only
    when a field is highlighted; errors no field can show follow as sentences.
    """
    unshown = attach_errors(form, refusal.fields)
    highlighted = len(unshown) < len(refusal.fields)
    lead = [refusal.message] if highlighted or not unshown else []
    return " ".join(lead + unshown)


class BookingFlow:
    """The site's booking flow; the widget subclasses it and changes only the hooks."""

    #: the layout the details and confirmation pages extend
    layout = "base.html"
    #: the whole calendar page (htmx swaps only the picker inside it)
    calendar_page = "public/calendar.html"
    #: links that leave the flow (meeting, manage page) open in a new tab
    links_leave_in_new_tab = False

    # -- hooks ---------------------------------------------------------------------------

    def new_form(self, formdata) -> BookingForm:
        """Return the booking form bound to `formdata` (the site's carries its CSRF token)."""
        return BookingForm(formdata)

    def refuse_forged_post(self, service, start, state) -> None:
        """Answer 4xx to a post that did not come from this flow's own form.

        Nothing to do on the site: CSRFProtect has refused a post without a valid token
        before the view runs.
        """

    def guard_fields(self, service, state, offered: list | None) -> dict[str, str]:
        """Return the hidden fields that let the form be posted back (`offered`: fresh starts)."""
        return {"csrf_token": generate_csrf()}

    def slot_selected_event(self, service, start, state) -> dict | None:
        """Return the event announcing a chosen time, or None when nobody listens."""
        return None

    def booking_created_event(self, booking) -> dict | None:
        """Return the event announcing a new booking, or None when nobody listens."""
        return None

    # -- pages ---------------------------------------------------------------------------

    def calendar(self, key: str):
        """Show the month calendar and, once a day is chosen, its free times."""
        service = service_or_404(key)
        state = picker_state_or_400(request.args, service, get_settings().business_timezone)
        return self._calendar(service, state)

    def details(self, key: str):
        """Ask for the client's details for the chosen time (GET), then book it (POST)."""
        service = service_or_404(key)
        form = self.new_form(request.form if request.method == "POST" else request.args)
        form.offer_providers(enabled_providers())
        start, state = chosen_time(service, form)
        if request.method == "GET":
            form.title.data = form.title.data or service.name
            return self._details_page(service, form, start, state, offered=[start],
                                      event=self.slot_selected_event(service, start, state))
        self.refuse_forged_post(service, start, state)
        return self._book(service, form, start, state)

    def confirmed(self, token: str):
        """Show a booking's confirmation with its details and manage link.

        The token is the manage token, so the page opens exactly as long as the manage
        page does (see self_service.manageable_booking).
        """
        booking = manageable_booking(token, now())
        if booking is None:
            abort(404)
        follow_booking_language(booking.locale)
        return keep_private(current_app.make_response(self._render(
            CONFIRMED_PAGE, booking=booking, manage_url=manage_url(booking.uid),
            calendar_links=add_to_calendar_links(booking),
            ics_url=url_for("manage.ics", token=token),
            event=self.booking_created_event(booking))))

    # -- steps ---------------------------------------------------------------------------

    def _book(self, service, form: BookingForm, start, state):
        """Create the booking from a posted form, or re-render it with what went wrong."""
        error = str(FIX_FIELDS)
        if form.validate():
            try:
                created = create_booking(booking_request(service, form, start, state), now())
            except ValidationFailed as exc:
                error = refusal_text(form, exc)
            except SlotTaken as exc:
                return self._offer_other_times(service, form, start, state, exc.message)
            else:
                return redirect(url_for(".confirmed", token=created.manage_token), code=303)
        return self._details_page(service, form, start, state, 422, error=error)

    def _offer_other_times(self, service, form: BookingForm, start, state, message: str):
        """Keep the client's details and offer the day's fresh times (or the calendar if none)."""
        alternatives = build_view(service, state, now()).times
        if not alternatives:
            return self._calendar(service, state, 409, taken=message)
        return self._details_page(service, form, start, state, 409, error=message,
                                  alternatives=alternatives,
                                  offered=[slot.start for slot in alternatives])

    def _calendar(self, service, state, status: int = 200, **extra):
        """Render the calendar page, or only its picker for htmx."""
        context = picker_context(service, state, calendar=".calendar", chosen=".details",
                                 url_values={"key": service.key}, offer_hosts=True, **extra)
        view = context["view"]  # the fresh part; service, state and hosts follow from the address and configuration
        shown = None if extra else (view.open_days, view.times, view.today, view.prev_month, view.next_month,
                                    context["first_open_month"])
        return render_page_or_fragment(self.calendar_page, PICKER_FRAGMENT, status, kept_by=shown, **context)

    def _details_page(self, service, form, start, state, status: int = 200, *,
                      offered: list | None = None, **extra):
        """Render the details form for the chosen time (`offered`: starts it may now post)."""
        return self._render(DETAILS_PAGE, service=service, form=form, start=start, state=state,
                            guard_fields=self.guard_fields(service, state, offered),
                            privacy=privacy_terms(), **extra), status

    def _render(self, template: str, **context) -> str:
        """Render one of the flow's own pages inside this channel's layout."""
        return render_template(template, layout=self.layout,
                               new_tab=self.links_leave_in_new_tab, **context)
