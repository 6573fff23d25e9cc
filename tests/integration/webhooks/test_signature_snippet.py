"""The README's verification snippet, run as published, accepts a real delivery and nothing else."""
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.integration.notifications.support import book, weekday_at
from tests.integration.webhooks.support import endpoint_for, perform_due
from webapp.services.webhooks import endpoint_secret

README = Path(__file__).resolve().parents[3] / "README.md"
SNIPPET = re.compile(r"<!-- webhook-verify-snippet -->\s*```python\n(.*?)```", re.DOTALL)


@pytest.fixture
def verify_webhook():
    """The README's `verify_webhook`, executed from the README's text."""
    match = SNIPPET.search(README.read_text())
    assert match, "README.md has no webhook verification snippet"
    namespace: dict = {}
    exec(compile(match.group(1), "README.md (webhook snippet)", "exec"), namespace)  # noqa: S102
    return namespace["verify_webhook"]


@pytest.fixture
def delivery(app, receiver):
    """(secret, received POST) of a real booking.created delivery."""
    endpoint = endpoint_for(receiver.url, events=["booking.created"])
    now = datetime.now(timezone.utc)
    book(weekday_at(10, 3, now), now)
    perform_due(now)
    (received,) = receiver.received
    return endpoint_secret(endpoint), received


def test_the_documented_snippet_verifies_a_received_delivery(verify_webhook, delivery):
    secret, received = delivery
    assert verify_webhook(secret, received.header("Webhook-Signature"), received.body)


def test_the_snippet_refuses_a_changed_body_a_wrong_secret_and_an_old_signature(verify_webhook, delivery):
    secret, received = delivery
    header = received.header("Webhook-Signature")

    assert not verify_webhook(secret, header, received.body.replace(b"pending", b"cancell"))
    assert not verify_webhook(secret + "x", header, received.body)
    stale = re.sub(r"t=(\d+)", lambda m: f"t={int(m.group(1)) - 3600}", header)
    assert not verify_webhook(secret, stale, received.body)
