"""Tokens at rest: encrypted, rotatable keys, one refresh at a time, production config check."""
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.integration.integrations.support import KEY_NEW, KEY_OLD, connect_account, integration, now
from webapp import ConfigError, create_app
from webapp.extensions import db
from webapp.services.integration_tokens import IntegrationTokens
from webapp.services.integrations import token_cipher

SECRET_ACCESS = "ya29.plaintext-access-token-that-must-not-be-stored"


def raw_columns() -> list[str]:
    """The token columns exactly as the database holds them."""
    db.session.rollback()
    rows = db.session.execute(text(
        "SELECT access_token_enc, refresh_token_enc FROM provider_integrations")).all()
    return [value for row in rows for value in row if value]


def database_bytes(app) -> bytes:
    """Every byte of the SQLite database and its write-ahead log."""
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_the_database_never_holds_a_plaintext_token(app, stubs):
    account = connect_account("google_meet", stubs["google_meet"][1], access_token=SECRET_ACCESS)

    stored = raw_columns()

    assert len(stored) == 2
    assert all(SECRET_ACCESS not in v and account.refresh_token not in v for v in stored)
    raw = database_bytes(app)
    assert SECRET_ACCESS.encode() not in raw and account.refresh_token.encode() not in raw
    assert token_cipher().decrypt(integration("google_meet").access_token_enc) == SECRET_ACCESS


def test_rotating_keys_re_encrypts_every_token_under_the_newest_key(app, stubs):
    connect_account("zoom", stubs["zoom"][1], access_token="zoom-access-token")
    connect_account("teams", stubs["teams"][1], access_token="graph-access-token")
    before = raw_columns()
    app.config["TOKEN_ENCRYPTION_KEYS"] = f"{KEY_NEW},{KEY_OLD}"  # the new key goes in front

    result = app.test_cli_runner().invoke(args=["rotate-token-keys"])

    assert result.exit_code == 0 and "2 integration(s)" in result.output
    after = raw_columns()
    assert len(after) == 4 and not set(before) & set(after)
    app.config["TOKEN_ENCRYPTION_KEYS"] = KEY_NEW  # the old key can now be dropped
    assert IntegrationTokens("zoom", now())() == "zoom-access-token"


def test_rotation_refuses_tokens_no_configured_key_opens(app, stubs):
    connect_account("zoom", stubs["zoom"][1], access_token="zoom-access-token")
    app.config["TOKEN_ENCRYPTION_KEYS"] = KEY_NEW  # the old key was dropped too early

    result = app.test_cli_runner().invoke(args=["rotate-token-keys"])

    assert result.exit_code != 0 and "does not match any configured key" in result.output


def test_production_refuses_oauth_without_encryption_keys(tmp_path):
    config = {"ENV_NAME": "production", "SECRET_KEY": "x" * 40, "GOOGLE_CLIENT_ID": "id",
              "TOKEN_ENCRYPTION_KEYS": "", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"}

    with pytest.raises(ConfigError, match="TOKEN_ENCRYPTION_KEYS"):
        create_app(config)
    assert create_app({**config, "TOKEN_ENCRYPTION_KEYS": KEY_NEW})


def test_malformed_encryption_keys_stop_the_start(tmp_path):
    with pytest.raises(ConfigError, match="Fernet keys"):
        create_app({"TOKEN_ENCRYPTION_KEYS": "not-a-key",
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/k.db"})
