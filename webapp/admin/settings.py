"""The settings page."""
from flask import render_template, url_for
from flask_babel import gettext as _

from webapp.admin.blueprint import bp, form_action
from webapp.admin.forms import SettingsForm
from webapp.models.booking import MEETING_PROVIDERS
from webapp.services.settings import get_settings, save_settings
from webapp.templating import provider_label


def _form(**form_args) -> SettingsForm:
    """Return the settings form over the stored settings, providers labelled."""
    form = SettingsForm(obj=get_settings(), **form_args)
    form.offer_providers([(key, provider_label(key)) for key in MEETING_PROVIDERS])
    return form


@bp.get("/settings")
def settings():
    """Show the settings form."""
    return render_template("admin/settings.html", form=_form())


@bp.post("/settings")
def settings_save():
    """Save the settings, or show the form again with what is wrong."""
    form = _form()
    return form_action(lambda: save_settings(**form.values()), form=form, message=_("Settings saved."),
                       back=url_for("admin.settings"), page="admin/settings.html", context=dict)
