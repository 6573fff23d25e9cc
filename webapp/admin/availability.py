"""Weekly availability rules and blocked dates."""
from flask import abort, render_template, url_for

from webapp.admin.blueprint import bp, form_action, zone
from webapp.admin.forms import WEEKDAYS, BlockForm, RuleForm
from webapp.clock import now
from webapp.extensions import db
from webapp.models import AvailabilitySlot
from webapp.scheduling import get_zone
from webapp.services import availability_admin as admin


def _rule_form(services, **form_args) -> RuleForm:
    """Return the rule form offering the service types (bound to a POST's form unless told)."""
    form = RuleForm(**form_args)
    form.offer_service_types(services)
    return form


def _rules_context() -> dict:
    """Return what the availability page shows, with a fresh form to add a rule."""
    services = admin.all_service_types()
    return dict(rules=admin.all_rules(), services=services, weekdays=WEEKDAYS, tz=zone(),
                form=_rule_form(services, formdata=None))


@bp.get("/availability")
def availability():
    """Show the weekly rules per service type and a form to add one."""
    return render_template("admin/availability.html", **_rules_context())


@bp.post("/availability/rules")
def rule_add():
    """Add a weekly rule, or show the page again with what is wrong."""
    form = _rule_form(admin.all_service_types())
    return form_action(lambda: admin.save_rule(**form.values()), form=form, message="Rule added.",
                       back=url_for("admin.availability"), page="admin/availability.html", context=_rules_context)


def _rule_or_404(rule_id: int) -> AvailabilitySlot:
    """Return one weekly rule or answer 404."""
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
                       message="Rule saved.", back=url_for("admin.availability"),
                       page="admin/rule_edit.html", context=lambda: dict(rule=rule, tz=zone()))


@bp.post("/availability/rules/<int:rule_id>/delete")
def rule_delete(rule_id: int):
    """Delete one rule."""
    return form_action(lambda: admin.delete_rule(rule_id), message="Rule deleted.",
                       back=url_for("admin.availability"), page="admin/availability.html", context=_rules_context)


def _blocks_context() -> dict:
    """Return what the blocked-dates page shows (from today on, business zone), with a fresh form."""
    return dict(blocks=admin.blocked_dates_from(now().astimezone(get_zone(zone())).date()), tz=zone(),
                form=BlockForm(formdata=None))


@bp.get("/blocked-dates")
def blocked_dates():
    """Show the coming blocked dates and a form to block more."""
    return render_template("admin/blocked_dates.html", **_blocks_context())


@bp.post("/blocked-dates")
def block_add():
    """Block a day or a range of days, or show the page again with what is wrong."""
    form = BlockForm()
    return form_action(lambda: admin.block_dates(**form.values()), form=form, message="Dates blocked.",
                       back=url_for("admin.blocked_dates"), page="admin/blocked_dates.html", context=_blocks_context)


@bp.post("/blocked-dates/<int:block_id>/delete")
def block_delete(block_id: int):
    """Unblock one day."""
    return form_action(lambda: admin.delete_blocked_date(block_id), message="Blocked date removed.",
                       back=url_for("admin.blocked_dates"), page="admin/blocked_dates.html", context=_blocks_context)
