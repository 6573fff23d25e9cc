"""One refresh at a time per account, on SQLite (BEGIN IMMEDIATE) and PostgreSQL (FOR UPDATE)."""
import threading

import pytest

from tests.integration.integrations.support import connect_account, integration, now
from webapp.extensions import db
from webapp.services.integration_tokens import IntegrationTokens
from webapp.services.integrations import token_cipher


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Run each test on a SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'booking.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.mark.parametrize("key", ["zoom", "teams"])
def test_workers_refreshing_together_use_a_rotating_refresh_token_once(app, stubs, key):
    oauth = stubs[key][1]
    connect_account(key, oauth, access_token="expired", expires_in=0)
    tokens, errors = [], []

    def worker():
        with app.app_context():
            try:
                tokens.append(IntegrationTokens(key, now())())
            except Exception as exc:  # noqa: BLE001 (the assertion below shows it)
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == [] and len(set(tokens)) == 1 and tokens[0] in stubs[key][0].tokens
    assert len(oauth.calls("POST")) == 1
    row = integration(key)
    assert row.status == "connected" and token_cipher().decrypt(row.refresh_token_enc) in oauth.refresh_tokens
