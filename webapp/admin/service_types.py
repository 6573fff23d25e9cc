"""Service types: create, edit, deactivate."""
from flask import abort, render_template, request, url_for

from webapp.admin.blueprint import bp, form_action
from webapp.services import availability_admin as admin


def _list_context() -> dict:
    """Return what the service-types page shows."""
    return dict(services=admin.all_service_types())


def _edit_context(key: str):
    """Return the edit page's context builder for one service type, or answer 404."""
    service = next((s for s in admin.all_service_types() if s.key == key), None) or abort(404)
    return lambda: dict(service=service)


@bp.get("/service-types")
def service_types():
    """List the service types with a form to add one."""
    return render_template("admin/service_types.html", form={}, **_list_context())


@bp.post("/service-types")
def service_type_add():
    """Create a service type, or show the page again with what is wrong."""
    return form_action(lambda: admin.save_service_type(request.form), message="Service type added.",
                       back=url_for("admin.service_types"), page="admin/service_types.html",
                       context=_list_context)


@bp.get("/service-types/<key>")
def service_type_edit(key: str):
    """Show the form to change a service type."""
    return render_template("admin/service_type_edit.html", form={}, **_edit_context(key)())


@bp.post("/service-types/<key>")
def service_type_save(key: str):
    """Change a service type, or show the form again with what is wrong."""
    return form_action(lambda: admin.save_service_type(request.form, key), message="Service type saved.",
                       back=url_for("admin.service_types"), page="admin/service_type_edit.html",
                       context=_edit_context(key))


@bp.post("/service-types/<key>/active")
def service_type_active(key: str):
    """Deactivate or reactivate a service type."""
    active = request.form.get("active") == "1"
    return form_action(lambda: admin.set_service_type_active(key, active),
                       message="Service type activated." if active else "Service type deactivated.",
                       back=url_for("admin.service_types"), page="admin/service_types.html",
                       context=_list_context)
