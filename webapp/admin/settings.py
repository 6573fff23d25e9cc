"""The settings page."""
from flask import render_template, request, url_for

from webapp.admin.blueprint import bp, form_action
from webapp.models.booking import MEETING_PROVIDERS
from webapp.services.settings import get_settings
from webapp.services.settings_admin import ZOOM_RECORDING, update_settings
from webapp.templating import provider_label


def _context() -> dict:
    """Return what the settings page shows."""
    return dict(settings=get_settings(),
                provider_options=[(key, provider_label(key)) for key in MEETING_PROVIDERS],
                recording_options=list(ZOOM_RECORDING.items()))


@bp.get("/settings")
def settings():
    """Show the settings form."""
    return render_template("admin/settings.html", form={}, **_context())


@bp.post("/settings")
def settings_save():
    """Save the settings, or show the form again with what is wrong."""
    return form_action(lambda: update_settings(request.form), message="Settings saved.",
                       back=url_for("admin.settings"), page="admin/settings.html", context=_context)
