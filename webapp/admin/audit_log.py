"""The audit log page: who changed which booking or setting, newest first, per booking on request."""
from flask import render_template, request
from flask_babel import gettext as _

from webapp.admin.blueprint import bp, page_number, zone
from webapp.admin.forms import AuditFilterForm
from webapp.services.audit_log import audit_page, booking_id_for

PAGE = "admin/audit.html"


@bp.get("/audit")
def audit_log():
    """List audit entries, optionally of one booking (by id or uid); a bad filter is a 422."""
    form = AuditFilterForm(request.args)
    if not form.validate():
        return render_template(PAGE, form=form, result=None, tz=zone(), error=_("The filter is not valid.")), 422
    booking_id = booking_id_for(form.booking.data) if form.booking.data else None
    if form.booking.data and booking_id is None:
        booking_id = -1  # no such booking: an empty page, not every entry
    return render_template(PAGE, form=form, result=audit_page(booking_id, page_number()), tz=zone())
