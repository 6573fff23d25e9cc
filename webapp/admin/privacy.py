"""Clients' data on request: export everything held about an address as JSON, or erase it."""
import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.admin.blueprint import INVALID, bp
from webapp.admin.forms import ErasureConfirmForm, PrivacyRequestForm
from webapp.clock import now
from webapp.services.privacy import erase_for_email, erasure_plan, export_for_email
from webapp.services.settings import get_settings

PAGE = "admin/privacy.html"


def _page(form: PrivacyRequestForm, **extra) -> str:
    """Render the address form (with the retention period it explains)."""
    return render_template(PAGE, form=form, retention_days=get_settings().retention_days, **extra)


@bp.get("/privacy")
def privacy():
    """Show the address form with its Export and Erase buttons."""
    return _page(PrivacyRequestForm())


@bp.post("/privacy/export")
def privacy_export():
    """Download everything held about the address as a JSON file."""
    form = PrivacyRequestForm()
    if not form.validate():
        return _page(form, error=INVALID), 422
    body = json.dumps(export_for_email(form.email.data, now()), indent=2, ensure_ascii=False)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="personal-data.json"'})


@bp.post("/privacy/erase")
def privacy_erase():
    """First post: show what erasing the address does. Confirmed post: do it."""
    confirmed = request.form.get("confirmed") == "yes"
    form = ErasureConfirmForm() if confirmed else PrivacyRequestForm()
    if not form.validate():
        return _page(PrivacyRequestForm(), error=INVALID), 422
    email = form.email.data
    if not confirmed:
        return render_template("admin/privacy_confirm.html", plan=erasure_plan(email, now()),
                               form=ErasureConfirmForm(formdata=None, email=email))
    done = erase_for_email(email, now())
    flash(_("Erased: %(erased)s bookings now, %(cancelled)s cancelled (the client is told) and erased once "
            "that email has gone, %(messages)s stored messages.",
            erased=done.to_erase, cancelled=done.to_cancel, messages=done.messages))
    return redirect(url_for("admin.privacy"), code=303)
