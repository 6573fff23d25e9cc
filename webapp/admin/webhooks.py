"""Webhook endpoints: add, change, remove, reveal the secret, send a test event, the delivery log."""
from flask import abort, render_template, url_for
from flask_babel import gettext as _

from webapp.admin.blueprint import bp, form_action, page_number, zone
from webapp.admin.forms import WebhookForm
from webapp.clock import now
from webapp.outbox import webhook_deliveries
from webapp.services import webhooks
from webapp.services.errors import NotFound


def _list_context() -> dict:
    """Return what the webhooks page shows: the endpoints, a form to add one, recent deliveries."""
    return dict(endpoints=webhooks.all_endpoints(), form=WebhookForm(formdata=None),
                deliveries=webhook_deliveries(page_number()), settings_zone=zone())


def _endpoint_or_404(endpoint_id: int):
    """Return the endpoint, or answer 404."""
    try:
        return webhooks.get_endpoint(endpoint_id)
    except NotFound:
        abort(404)


def _endpoint_context(endpoint_id: int, **extra) -> dict:
    """Return what an endpoint's page shows: its form, its deliveries (and the secret, if revealed)."""
    endpoint = _endpoint_or_404(endpoint_id)
    return dict(endpoint=endpoint, form=WebhookForm(obj=endpoint, formdata=None),
                deliveries=webhook_deliveries(page_number(), endpoint_id), settings_zone=zone(),
                **extra)


@bp.get("/webhooks")
def webhooks_page():
    """List the endpoints and recent deliveries, with a form to add an endpoint."""
    return render_template("admin/webhooks.html", **_list_context())


@bp.post("/webhooks")
def webhook_add():
    """Add an endpoint, or show the page again with what is wrong (422)."""
    form = WebhookForm()
    return form_action(lambda: webhooks.create_endpoint(**form.values()), form=form,
                       message=_("Webhook endpoint added. Open it to reveal its signing secret."),
                       back=url_for("admin.webhooks_page"), page="admin/webhooks.html",
                       context=_list_context)


@bp.get("/webhooks/<int:endpoint_id>")
def webhook_edit(endpoint_id: int):
    """Show an endpoint: its settings, its buttons and its delivery log."""
    return render_template("admin/webhook_edit.html", **_endpoint_context(endpoint_id))


@bp.post("/webhooks/<int:endpoint_id>")
def webhook_save(endpoint_id: int):
    """Change an endpoint, or show it again with what is wrong."""
    form = WebhookForm()
    return form_action(lambda: webhooks.update_endpoint(endpoint_id, **form.values()), form=form,
                       message=_("Webhook endpoint saved."),
                       back=url_for("admin.webhook_edit", endpoint_id=endpoint_id),
                       page="admin/webhook_edit.html", context=lambda: _endpoint_context(endpoint_id))


@bp.post("/webhooks/<int:endpoint_id>/secret")
def webhook_secret(endpoint_id: int):
    """Show the endpoint's page with its signing secret (a POST: never in a link or a cache)."""
    context = _endpoint_context(endpoint_id)
    return render_template("admin/webhook_edit.html", **context,
                           secret=webhooks.endpoint_secret(context["endpoint"]))


@bp.post("/webhooks/<int:endpoint_id>/test")
def webhook_test(endpoint_id: int):
    """Queue a test event to the endpoint; its delivery appears in the log."""
    back = url_for("admin.webhook_edit", endpoint_id=endpoint_id)
    return form_action(lambda: webhooks.send_test_event(endpoint_id, now()),
                       message=_("Test event queued; its delivery is listed below."), back=back,
                       page="admin/webhook_edit.html", context=lambda: _endpoint_context(endpoint_id))


@bp.post("/webhooks/<int:endpoint_id>/delete")
def webhook_delete(endpoint_id: int):
    """Remove an endpoint (deliveries still waiting are skipped)."""
    return form_action(lambda: webhooks.delete_endpoint(endpoint_id), message=_("Webhook endpoint removed."),
                       back=url_for("admin.webhooks_page"), page="admin/webhooks.html",
                       context=_list_context)
