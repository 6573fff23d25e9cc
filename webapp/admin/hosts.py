"""Hosts: the list, adding one, changing one (admins only: the guard refuses host logins)."""
from flask import abort, render_template, url_for
from flask_babel import gettext as _

from webapp.admin.blueprint import bp, form_action
from webapp.admin.forms import HostForm
from webapp.extensions import db
from webapp.models import Host
from webapp.services.admin_accounts import all_admins
from webapp.services.hosts import all_hosts, save_host


def _host_form(**form_args) -> HostForm:
    """Return the host form offering the logins (bound to a POST's form unless told)."""
    form = HostForm(**form_args)
    form.offer_logins(all_admins())
    return form


def _list_context() -> dict:
    """Return what the hosts page shows, with a fresh form to add one."""
    return dict(hosts=all_hosts(), form=_host_form(formdata=None),
                logins={admin.id: admin.email for admin in all_admins()})


def _host_or_404(host_id: int) -> Host:
    """Return the host with this id or answer 404."""
    return db.session.get(Host, host_id) or abort(404)


@bp.get("/hosts")
def hosts():
    """List the hosts with a form to add one."""
    return render_template("admin/hosts.html", **_list_context())


@bp.post("/hosts")
def host_add():
    """Add a host, or show the page again with what is wrong."""
    form = _host_form()
    return form_action(lambda: save_host(**form.values()), form=form, message=_("Host added."),
                       back=url_for("admin.hosts"), page="admin/hosts.html", context=_list_context)


@bp.get("/hosts/<int:host_id>")
def host_edit(host_id: int):
    """Show the form to change a host."""
    host = _host_or_404(host_id)
    return render_template("admin/host_edit.html", host=host, form=_host_form(obj=host))


@bp.post("/hosts/<int:host_id>")
def host_save(host_id: int):
    """Change a host, or show the form again with what is wrong."""
    host = _host_or_404(host_id)
    form = _host_form()
    return form_action(lambda: save_host(**form.values(), host_id=host_id), form=form,
                       message=_("Host saved."), back=url_for("admin.hosts"),
                       page="admin/host_edit.html", context=lambda: dict(host=host))
