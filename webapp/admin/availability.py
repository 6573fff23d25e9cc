"""Weekly availability rules and blocked dates, per host (a host login sees and edits only their own)."""
from flask import abort, render_template, url_for
from flask_babel import gettext as _

from webapp.admin.blueprint import bp, form_action, hosts_offered, shown_host, zone
from webapp.admin.forms import WEEKDAYS, BlockForm, RuleForm
from webapp.clock import now
from webapp.extensions import db
from webapp.models import AvailabilitySlot
from webapp.scheduling import get_zone
from webapp.services import availability_admin as admin
from webapp.services.hosts import default_host


def _with_hosts(form):
    """Offer the hosts this login may choose on a rule or block form; return the form."""
    default = default_host()
    offered = hosts_offered()
    form.offer_hosts(offered, default.id if default and default in offered else None)
    return form


def _host_context() -> dict:
    """Return the host filter and the names of hosts by id (a row without a host: the default's)."""
    offered = hosts_offered()
    names = {host.id: host.name for host in offered}
    default = default_host()
    names[None] = default.name if default else ""
    return dict(shown_host=shown_host(), hosts=offered, host_names=names)


def _rule_form(services, **form_args) -> RuleForm:
    """Return the rule form offering the service types and hosts (bound to a POST's form unless told)."""
    form = RuleForm(**form_args)
    form.offer_service_types(services)
    return _with_hosts(form)


def _rules_context() -> dict:
    """Return what the availability page shows (one host's rules if filtered), with a fresh form."""
    services = admin.all_service_types()
    hosts = _host_context()
    return dict(rules=admin.all_rules(hosts["shown_host"]), services=services, weekdays=WEEKDAYS, tz=zone(),
                form=_rule_form(services, formdata=None), **hosts)


@bp.get("/availability")
def availability():
    """Show the weekly rules per service type (`?host=<slug>`: one host's) and a form to add one."""
    return render_template("admin/availability.html", **_rules_context())


@bp.post("/availability/rules")
def rule_add():
    """Add a weekly rule, or show the page again with what is wrong."""
    form = _rule_form(admin.all_service_types())
    return form_action(lambda: admin.save_rule(**form.values()), form=form, message=_("Rule added."),
                       back=url_for("admin.availability"), page="admin/availability.html", context=_rules_context)


def _rule_or_404(rule_id: int) -> AvailabilitySlot:
    """Return one weekly rule or answer 404 (the guard has refused another host's)."""
    return db.session.get(AvailabilitySlot, rule_id) or abort(404)


@bp.get("/availability/rules/<int:rule_id>")
def rule_edit(rule_id: int):
    """Show the form to change one rule."""
    rule = _rule_or_404(rule_id)
    return render_template("admin/rule_edit.html", rule=rule, tz=zone(),
                           form=_rule_form(admin.all_service_types(), obj=rule))


@bp.post("/availability/rules/<int:rule_id>")
def rule_save(rule_id: int):
    """Change one rule, or show the form again with what is wrong."""
    rule = _rule_or_404(rule_id)
    form = _rule_form(admin.all_service_types())
    return form_action(lambda: admin.save_rule(**form.values(), rule_id=rule_id), form=form,
                       message=_("Rule saved."), back=url_for("admin.availability"),
                       page="admin/rule_edit.html", context=lambda: dict(rule=rule, tz=zone()))


@bp.post("/availability/rules/<int:rule_id>/delete")
def rule_delete(rule_id: int):
    """Delete one rule."""
    return form_action(lambda: admin.delete_rule(rule_id), message=_("Rule deleted."),
                       back=url_for("admin.availability"), page="admin/availability.html", context=_rules_context)


def _blocks_context() -> dict:
    """Return what the blocked-dates page shows (from today on, business zone), with a fresh form."""
    hosts = _host_context()
    return dict(blocks=admin.blocked_dates_from(now().astimezone(get_zone(zone())).date(), hosts["shown_host"]),
                tz=zone(), form=_with_hosts(BlockForm(formdata=None)), **hosts)


@bp.get("/blocked-dates")
def blocked_dates():
    """Show the coming blocked dates (`?host=<slug>`: one host's) and a form to block more."""
    return render_template("admin/blocked_dates.html", **_blocks_context())


@bp.post("/blocked-dates")
def block_add():
    """Block a day or a range of days, or show the page again with what is wrong."""
    form = _with_hosts(BlockForm())
    return form_action(lambda: admin.block_dates(**form.values()), form=form, message=_("Dates blocked."),
                       back=url_for("admin.blocked_dates"), page="admin/blocked_dates.html", context=_blocks_context)


@bp.post("/blocked-dates/<int:block_id>/delete")
def block_delete(block_id: int):
    """Unblock one day."""
    return form_action(lambda: admin.delete_blocked_date(block_id), message=_("Blocked date removed."),
                       back=url_for("admin.blocked_dates"), page="admin/blocked_dates.html", context=_blocks_context)
