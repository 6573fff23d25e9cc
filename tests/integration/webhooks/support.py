"""Helpers for the webhook tests: endpoints, performing due outbox rows, reading deliveries."""
from datetime import datetime

from tests.integration.notifications.support import rows
from webapp.models import WebhookEndpoint
from webapp.outbox.perform import perform
from webapp.services.webhooks import create_endpoint
from webapp.webhooks.events import EVENTS


def endpoint_for(url: str, events: list[str] | None = None, *, active: bool = True) -> WebhookEndpoint:
    """Add an endpoint receiving `events` (default: all of them) through the service."""
    return create_endpoint(url=url, events=events or list(EVENTS), is_active=active)


def perform_due(at: datetime) -> list[str]:
    """Perform every row due at `at` (and what those rows add), as the worker would."""
    outcomes = []
    while ids := [r.id for r in rows() if r.status == "pending" and r.due_at <= at]:
        outcomes += [perform(i, at) for i in ids]
    return outcomes


def deliveries():
    """Return the webhook outbox rows, read fresh."""
    return rows("webhook")
