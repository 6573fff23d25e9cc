"""The signed-in admin's own account: the language of the admin pages."""
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.admin.blueprint import HOST_ENDPOINTS, bp, safe_next
from webapp.admin.forms import LanguageForm
from webapp.services import admin_accounts

HOST_ENDPOINTS.add("admin.set_language")


@bp.post("/language")
def set_language():
    """Store the admin's language, then show the page it was chosen on again (now in that language)."""
    form = LanguageForm()
    back = safe_next(form.next.data, url_for("admin.dashboard"))
    if not form.validate():
        flash(_("Choose one of the listed languages."), "error")
        return redirect(back, code=303)
    admin_accounts.set_language(current_user, form.language.data)
    return redirect(back, code=303)
