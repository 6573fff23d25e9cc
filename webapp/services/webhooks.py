"""The admin's webhook endpoints: create, change, remove, reveal the secret, send a test event."""
from datetime import datetime

from flask import current_app

from webapp import outbox
from webapp.extensions import db
from webapp.mail.language import N_
from webapp.models import OutboxMessage, WebhookEndpoint
from webapp.services.errors import NotFound, ValidationFailed
from webapp.services.integrations import token_cipher
from webapp.webhooks.addresses import UrlRefused, check_url
from webapp.webhooks.events import EVENTS
from webapp.webhooks.signing import new_secret

INVALID = "Please correct the highlighted fields."


def private_addresses_allowed() -> bool:
    """Return True unless this is production without WEBHOOK_ALLOW_PRIVATE."""
    config = current_app.config
    return config["ENV_NAME"] != "production" or bool(config.get("WEBHOOK_ALLOW_PRIVATE"))


def all_endpoints() -> list[WebhookEndpoint]:
    """Return every endpoint, oldest first."""
    return list(db.session.scalars(db.select(WebhookEndpoint).order_by(WebhookEndpoint.id)))


def get_endpoint(endpoint_id: int) -> WebhookEndpoint:
    """Return the endpoint or raise NotFound."""
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound("No such webhook endpoint.")
    return endpoint


def create_endpoint(*, url: str, events: list[str], is_active: bool = True) -> WebhookEndpoint:
    """Add an endpoint with a fresh secret; raise ValidationFailed for a refused URL or no events."""
    endpoint = WebhookEndpoint(secret_enc=token_cipher().encrypt(new_secret()))
    return _save(endpoint, url, events, is_active)


def update_endpoint(endpoint_id: int, *, url: str, events: list[str],
                    is_active: bool = True) -> WebhookEndpoint:
    """Change an endpoint's URL, events and active flag (its secret stays)."""
    return _save(get_endpoint(endpoint_id), url, events, is_active)


def _save(endpoint: WebhookEndpoint, url: str, events: list[str], is_active: bool) -> WebhookEndpoint:
    """Check and store the endpoint's fields, then commit."""
    url = (url or "").strip()
    try:
        check_url(url, allow_private=private_addresses_allowed())
    except UrlRefused as refused:
        raise ValidationFailed(INVALID, {"url": refused.message}) from None
    chosen = [event for event in EVENTS if event in set(events or [])]
    if not chosen:
        raise ValidationFailed(INVALID, {"events": N_("Choose at least one event.")})
    endpoint.url, endpoint.events, endpoint.is_active = url, chosen, is_active
    db.session.add(endpoint)
    db.session.commit()
    return endpoint


def delete_endpoint(endpoint_id: int) -> None:
    """Remove an endpoint; its waiting deliveries are skipped when their turn comes."""
    db.session.delete(get_endpoint(endpoint_id))
    db.session.commit()


def endpoint_secret(endpoint: WebhookEndpoint) -> str:
    """Return the endpoint's signing secret in clear (for the signature, or the admin's eyes)."""
    return token_cipher().decrypt(endpoint.secret_enc)


def send_test_event(endpoint_id: int, now: datetime) -> OutboxMessage:
    """Queue a `webhook.test` delivery to the endpoint and commit (the runner sends it)."""
    row = outbox.webhook_test_requested(get_endpoint(endpoint_id), now)
    db.session.commit()
    return row
