"""The outbox page: waiting, sent and failed emails, with a retry button."""
from flask import render_template, request, url_for
from flask_babel import gettext as _

from webapp.admin.blueprint import bp, form_action, page_number, zone
from webapp.clock import now
from webapp.outbox import outbox_page, retry_message
from webapp.outbox.kinds import EMAIL_KINDS


def _context() -> dict:
    """Return what the outbox page shows."""
    return dict(result=outbox_page(request.args.get("status", "failed"), page_number(), now()),
                email_kinds=EMAIL_KINDS, settings_zone=zone())


@bp.get("/outbox")
def outbox():
    """List failed (or waiting, or sent) messages with their errors."""
    return render_template("admin/outbox.html", **_context())


@bp.post("/outbox/<int:message_id>/retry")
def outbox_retry(message_id: int):
    """Queue a failed message again."""
    return form_action(lambda: retry_message(message_id, now()), message=_("Message queued again."),
                       back=url_for("admin.outbox"), page="admin/outbox.html", context=_context)
