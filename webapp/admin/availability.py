"""Weekly availability rules and blocked dates."""
from flask import abort, render_template, request, url_for

from webapp.admin.blueprint import bp, form_action, zone
from webapp.clock import now
from webapp.extensions import db
from webapp.models import AvailabilitySlot
from webapp.scheduling import get_zone
from webapp.services import availability_admin as admin

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _choices() -> dict:
    """Return the choices a rule form offers."""
    services = admin.all_service_types()
    return dict(services=services, service_options=[(s.key, s.name) for s in services],
                weekdays=WEEKDAYS, weekday_options=list(enumerate(WEEKDAYS)), tz=zone())


def _rules_context() -> dict:
    """Return what the availability page shows."""
    return dict(rules=admin.all_rules(), **_choices())


@bp.get("/availability")
def availability():
    """Show the weekly rules per service type and a form to add one."""
    return render_template("admin/availability.html", form={}, **_rules_context())


@bp.post("/availability/rules")
def rule_add():
    """Add a weekly rule, or show the page again with what is wrong."""
    return form_action(lambda: admin.save_rule(request.form), message="Rule added.",
                       back=url_for("admin.availability"), page="admin/availability.html", context=_rules_context)


def _rule_context(rule_id: int):
    """Return the edit page's context builder for one rule, or answer 404."""
    rule = db.session.get(AvailabilitySlot, rule_id) or abort(404)
    return lambda: dict(rule=rule, **_choices())


@bp.get("/availability/rules/<int:rule_id>")
def rule_edit(rule_id: int):
    """Show the form to change one rule."""
    return render_template("admin/rule_edit.html", form={}, **_rule_context(rule_id)())


@bp.post("/availability/rules/<int:rule_id>")
def rule_save(rule_id: int):
    """Change one rule, or show the form again with what is wrong."""
    return form_action(lambda: admin.save_rule(request.form, rule_id),
                       message="Rule saved.", back=url_for("admin.availability"),
                       page="admin/rule_edit.html", context=_rule_context(rule_id))


@bp.post("/availability/rules/<int:rule_id>/delete")
def rule_delete(rule_id: int):
    """Delete one rule."""
    return form_action(lambda: admin.delete_rule(rule_id), message="Rule deleted.",
                       back=url_for("admin.availability"), page="admin/availability.html", context=_rules_context)


def _blocks_context() -> dict:
    """Return what the blocked-dates page shows (from today on, business zone)."""
    return dict(blocks=admin.blocked_dates_from(now().astimezone(get_zone(zone())).date()), tz=zone())


@bp.get("/blocked-dates")
def blocked_dates():
    """Show the coming blocked dates and a form to block more."""
    return render_template("admin/blocked_dates.html", form={}, **_blocks_context())


@bp.post("/blocked-dates")
def block_add():
    """Block a day or a range of days, or show the page again with what is wrong."""
    return form_action(lambda: admin.block_dates(request.form), message="Dates blocked.",
                       back=url_for("admin.blocked_dates"), page="admin/blocked_dates.html", context=_blocks_context)


@bp.post("/blocked-dates/<int:block_id>/delete")
def block_delete(block_id: int):
    """Unblock one day."""
    return form_action(lambda: admin.delete_blocked_date(block_id), message="Blocked date removed.",
                       back=url_for("admin.blocked_dates"), page="admin/blocked_dates.html", context=_blocks_context)
