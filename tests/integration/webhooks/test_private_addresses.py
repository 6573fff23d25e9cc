"""In production webhooks go to public addresses only: refused when saved and when delivered."""
from datetime import datetime, timezone

import pytest

from tests.integration.notifications.support import book, weekday_at
from tests.integration.webhooks.support import deliveries, endpoint_for, perform_due
from webapp.services.errors import ValidationFailed
from webapp.webhooks.addresses import UrlRefused, check_url


def _resolving_to(*addresses):
    """A resolver answering `addresses` for any host, as getaddrinfo would."""
    return lambda host, port, **_: [(2, 1, 6, "", (address, port)) for address in addresses]


@pytest.mark.parametrize("address", [
    "127.0.0.1", "::1", "169.254.169.254", "10.1.2.3", "172.16.0.9", "192.168.1.20", "fd00::1",
    "100.64.0.1", "0.0.0.0", "::ffff:127.0.0.1", "fe80::1%eth0"])
def test_non_public_addresses_are_refused(address):
    with pytest.raises(UrlRefused, match="public addresses"):
        check_url("https://hooks.example/in", allow_private=False, resolve=_resolving_to(address))


def test_every_resolved_address_is_checked_not_only_the_first():
    with pytest.raises(UrlRefused, match="10.0.0.5"):
        check_url("https://hooks.example/in", allow_private=False,
                  resolve=_resolving_to("93.184.216.34", "10.0.0.5"))


def test_a_public_host_passes_and_the_setting_allows_private_ones():
    check_url("https://hooks.example/in", allow_private=False, resolve=_resolving_to("93.184.216.34"))
    check_url("http://127.0.0.1:9/in", allow_private=True)


@pytest.mark.parametrize("url", ["ftp://hooks.example/in", "javascript:alert(1)", "hooks.example/in",
                                 "https://user:pw@hooks.example/in", "https://hooks.example:99999/"])
def test_only_plain_http_and_https_urls_are_accepted(url):
    with pytest.raises(UrlRefused):
        check_url(url, allow_private=True)


def test_saving_a_loopback_endpoint_is_refused_in_production(app, receiver):
    app.config["ENV_NAME"] = "production"

    with pytest.raises(ValidationFailed) as refused:
        endpoint_for(receiver.url)
    assert "127.0.0.1" in refused.value.fields["url"]

    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    assert endpoint_for(receiver.url).url == receiver.url


def test_delivering_to_a_loopback_endpoint_fails_visibly_in_production(app, receiver):
    endpoint_for(receiver.url, events=["booking.created"])  # saved outside production
    app.config["ENV_NAME"] = "production"
    now = datetime.now(timezone.utc)
    book(weekday_at(10, 3, now), now)
    perform_due(now)

    (row,) = deliveries()
    assert row.status == "failed" and row.attempts == 1  # retrying cannot help
    assert "private address" in row.last_error
    assert receiver.received == []
