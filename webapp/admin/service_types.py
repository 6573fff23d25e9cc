"""Service types: create, edit, deactivate."""
from flask import abort, render_template, request, url_for

from webapp.admin.blueprint import bp, form_action
from webapp.admin.forms import NewServiceTypeForm, ServiceTypeForm
from webapp.services import availability_admin as admin


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
                       message="Service type added.", back=url_for("admin.service_types"),
                       page="admin/service_types.html", context=_list_context)


@bp.get("/service-types/<key>")
def service_type_edit(key: str):
    """Show the form to change a service type (its durations listed with the default)."""
    service = _service_or_404(key)
    form = ServiceTypeForm(obj=service)
    form.allowed_durations.data = service.durations
    return render_template("admin/service_type_edit.html", service=service, form=form)


@bp.post("/service-types/<key>")
def service_type_save(key: str):
    """Change a service type, or show the form again with what is wrong."""
    service = _service_or_404(key)
    form = ServiceTypeForm()
    return form_action(lambda: admin.update_service_type(key, **form.values()), form=form,
                       message="Service type saved.", back=url_for("admin.service_types"),
                       page="admin/service_type_edit.html", context=lambda: dict(service=service))


@bp.post("/service-types/<key>/active")
def service_type_active(key: str):
    """Deactivate or reactivate a service type."""
    active = request.form.get("active") == "1"
    return form_action(lambda: admin.set_service_type_active(key, active),
                       message="Service type activated." if active else "Service type deactivated.",
                       back=url_for("admin.service_types"), page="admin/service_types.html",
                       context=_list_context)
