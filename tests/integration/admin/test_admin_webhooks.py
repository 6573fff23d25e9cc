"""The webhook admin pages: add (bad URLs refused with 422), reveal the secret, test event, delivery log."""
from datetime import datetime, timezone

import pytest

from tests.integration.admin.conftest import post_form
from tests.integration.webhooks.receiver import Receiver
from tests.integration.webhooks.support import deliveries, endpoint_for, perform_due
from webapp.extensions import db
from webapp.models import WebhookEndpoint
from webapp.services.webhooks import endpoint_secret

ALL = ["booking.created", "booking.rescheduled", "booking.cancelled", "booking.confirmed"]


@pytest.fixture
def receiver():
    """A real receiver on loopback answering 200."""
    server = Receiver().start()
    yield server
    server.stop()


def _endpoints() -> list[WebhookEndpoint]:
    db.session.rollback()
    return list(db.session.scalars(db.select(WebhookEndpoint)))


def _add(client, url: str, events=ALL):
    return post_form(client, "/admin/webhooks", {"url": url, "events": events, "is_active": "y"},
                     page="/admin/webhooks")


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://hooks.example/in", "Use an http:// or https:// address"),
    ("https://user:pw@hooks.example/in", "Leave the user name and password out"),
    ("", "This field is required."),
])
def test_a_bad_url_is_refused_with_a_message_beside_the_field(admin_client, url, message):
    response = _add(admin_client, url)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and "Please correct the highlighted fields." in page
    assert _endpoints() == []


def test_no_event_chosen_is_refused(admin_client, receiver):
    response = _add(admin_client, receiver.url, events=[])

    assert response.status_code == 422
    assert "Choose at least one event." in response.get_data(as_text=True)


def test_an_unlisted_event_is_refused(admin_client, receiver):
    response = _add(admin_client, receiver.url, events=["booking.created", "booking.exploded"])

    assert response.status_code == 422
    assert "Choose only the listed events." in response.get_data(as_text=True)
    assert _endpoints() == []


def test_a_loopback_url_is_refused_in_production(app, admin_client, receiver):
    app.config["ENV_NAME"] = "production"
    response = _add(admin_client, receiver.url)

    assert response.status_code == 422
    assert "loopback, link-local or private address" in response.get_data(as_text=True)
    assert _endpoints() == []


def test_an_added_endpoint_reveals_its_secret_only_on_request(admin_client, receiver):
    response = _add(admin_client, receiver.url, events=["booking.created", "booking.cancelled"])
    assert response.status_code == 303

    (endpoint,) = _endpoints()
    assert endpoint.url == receiver.url and endpoint.events == ["booking.created", "booking.cancelled"]
    secret = endpoint_secret(endpoint)
    assert secret not in endpoint.secret_enc  # stored encrypted
    page = f"/admin/webhooks/{endpoint.id}"
    assert secret not in admin_client.get(page).get_data(as_text=True)
    revealed = post_form(admin_client, f"{page}/secret", {}, page=page)
    assert revealed.status_code == 200 and secret in revealed.get_data(as_text=True)


def test_the_test_event_button_delivers_and_the_log_shows_it(admin_client, receiver):
    endpoint = endpoint_for(receiver.url)
    page = f"/admin/webhooks/{endpoint.id}"

    response = post_form(admin_client, f"{page}/test", {}, page=page)
    assert response.status_code == 303
    perform_due(datetime.now(timezone.utc))

    assert receiver.events() == ["webhook.test"]
    log = admin_client.get(page).get_data(as_text=True)
    assert "webhook.test" in log and "HTTP 200" in log and "sent" in log


def test_the_delivery_log_shows_a_failure_with_its_error(admin_client, receiver):
    endpoint = endpoint_for(receiver.url)
    receiver.status = 500
    page = f"/admin/webhooks/{endpoint.id}"
    post_form(admin_client, f"{page}/test", {}, page=page)
    perform_due(datetime.now(timezone.utc))

    (row,) = deliveries()
    assert row.status == "pending" and row.attempts == 1
    log = admin_client.get("/admin/webhooks").get_data(as_text=True)
    assert "HTTP 500 from the receiver" in log and "next try" in log


def test_editing_and_removing_an_endpoint(admin_client, receiver):
    endpoint = endpoint_for(receiver.url)
    page = f"/admin/webhooks/{endpoint.id}"

    refused = post_form(admin_client, page, {"url": "gopher://x", "events": ALL}, page=page)
    assert refused.status_code == 422 and "Use an http:// or https:// address" in refused.get_data(as_text=True)
    saved = post_form(admin_client, page, {"url": receiver.url + "/v2", "events": ["booking.created"]},
                      page=page)
    assert saved.status_code == 303
    (stored,) = _endpoints()
    assert stored.url == receiver.url + "/v2" and stored.events == ["booking.created"]
    assert not stored.is_active  # an unticked checkbox

    removed = post_form(admin_client, f"{page}/delete", {}, page=page)
    assert removed.status_code == 303 and _endpoints() == []
    assert admin_client.get(page).status_code == 404
