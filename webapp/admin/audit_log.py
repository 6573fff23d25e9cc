"""The audit log page: who changed which booking or setting, newest first, per booking on request."""
from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.admin.blueprint import bp, page_number, zone
from webapp.admin.forms import AuditFilterForm
from webapp.services.audit_log import audit_page, booking_id_for

PAGE = "admin/audit.html"
#: the words an entry stores (webapp.audit: actors, kinds of row, actions) as the admin reads them
WORDS = {"system": _l("system"), "client": _l("client"), "api-anonymous": _l("API, no token"),
         "anonymous": _l("anonymous"), "booking": _l("booking"), "setting": _l("setting"),
         "service type": _l("service type"), "availability rule": _l("availability rule"),
         "blocked date": _l("blocked date"), "created": _l("created"), "updated": _l("changed"),
         "deleted": _l("deleted"), "erased": _l("erased"), "status changed": _l("status changed")}


def _word(stored: str) -> str:
    """Return a stored audit word in the page's language (anything else, e.g. "admin:3", as it is)."""
    return str(WORDS.get(stored, stored))


@bp.get("/audit")
def audit_log():
    """List audit entries, optionally of one booking (by id or uid); a bad filter is a 422."""
    form = AuditFilterForm(request.args)
    if not form.validate():
        return render_template(PAGE, form=form, result=None, tz=zone(), word=_word,
                               error=_("The filter is not valid.")), 422
    booking_id = booking_id_for(form.booking.data) if form.booking.data else None
    if form.booking.data and booking_id is None:
        booking_id = -1  # no such booking: an empty page, not every entry
    return render_template(PAGE, form=form, result=audit_page(booking_id, page_number()), tz=zone(), word=_word)
