"""Webhook fixtures: a real receiver on loopback."""
import pytest

from tests.integration.webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    """A receiver answering 200, started; stopped after the test."""
    server = Receiver().start()
    yield server
    server.stop()
