"""Service types: create, edit, deactivate."""
from flask import abort, render_template, request, url_for
from flask_babel import gettext as _

from webapp.admin.blueprint import INVALID, bp, form_action
from webapp.admin.forms import NewServiceTypeForm, ServiceHostsForm, ServiceTypeForm
from webapp.services import availability_admin as admin
from webapp.services.hosts import all_hosts, set_service_hosts


def _list_context() -> dict:
    """Return what the service-types page shows, with a fresh form to add one."""
    return dict(services=admin.all_service_types(), form=NewServiceTypeForm(formdata=None))


def _service_or_404(key: str):
    """Return the service type called `key`, active or not, or answer 404."""
    return next((s for s in admin.all_service_types() if s.key == key), None) or abort(404)


@bp.get("/service-types")
def service_types():
    """List the service types with a form to add one."""
    return render_template("admin/service_types.html", **_list_context())


@bp.post("/service-types")
def service_type_add():
    """Create a service type, or show the page again with what is wrong."""
    form = NewServiceTypeForm()
    return form_action(lambda: admin.create_service_type(**form.values()), form=form,
                       message=_("Service type added."), back=url_for("admin.service_types"),
                       page="admin/service_types.html", context=_list_context)


def _hosts_form(service, **form_args) -> ServiceHostsForm:
    """Return the form listing who gives `service` (bound to a POST's form unless told)."""
    form = ServiceHostsForm(**form_args)
    form.offer_hosts(all_hosts())
    return form


def _edit_context(service, **forms) -> dict:
    """Return what the edit page shows: both forms (fresh unless given, as posted)."""
    if "form" not in forms:
        forms["form"] = ServiceTypeForm(obj=service)
        forms["form"].allowed_durations.data = service.durations
    if "hosts_form" not in forms:
        forms["hosts_form"] = _hosts_form(service, formdata=None, assignment=service.assignment,
                                          host_ids=[host.id for host in service.hosts])
    return dict(service=service, **forms)


@bp.get("/service-types/<key>")
def service_type_edit(key: str):
    """Show the forms to change a service type (its durations listed with the default) and its hosts."""
    return render_template("admin/service_type_edit.html", **_edit_context(_service_or_404(key)))


@bp.post("/service-types/<key>")
def service_type_save(key: str):
    """Change a service type, or show the form again with what is wrong."""
    service = _service_or_404(key)
    form = ServiceTypeForm()
    return form_action(lambda: admin.update_service_type(key, **form.values()), form=form,
                       message=_("Service type saved."), back=url_for("admin.service_types"),
                       page="admin/service_type_edit.html", context=lambda: _edit_context(service, form=form))


@bp.post("/service-types/<key>/hosts")
def service_type_hosts(key: str):
    """Set who gives a service type and how bookings are assigned, or show the page again."""
    service = _service_or_404(key)
    form = _hosts_form(service)

    def context() -> dict:
        """Return the edit page with the hosts form as posted."""
        return _edit_context(service, hosts_form=form)

    if not form.validate():  # the hosts form is not the page's main `form`, so it is re-shown here
        return render_template("admin/service_type_edit.html", **context(), error=INVALID), 422
    return form_action(lambda: set_service_hosts(key, form.host_ids.data or [], form.assignment.data),
                       message=_("Hosts saved."), back=url_for("admin.service_type_edit", key=key),
                       page="admin/service_type_edit.html", context=context)


@bp.post("/service-types/<key>/active")
def service_type_active(key: str):
    """Deactivate or reactivate a service type."""
    active = request.form.get("active") == "1"
    return form_action(lambda: admin.set_service_type_active(key, active),
                       message=_("Service type activated.") if active else _("Service type deactivated."),
                       back=url_for("admin.service_types"), page="admin/service_types.html",
                       context=_list_context)
