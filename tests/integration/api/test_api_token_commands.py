"""`flask api-token list` / `revoke`: an operator sees every token and stops a leaked one."""
from tests.integration.api.conftest import API


def cli(app, *args: str):
    """Run a `flask` command against the test app and return its result."""
    return app.test_cli_runner().invoke(args=list(args))


def admin_get(client, token: str):
    """Read a booking with `token` as bearer (401 when the token is refused, 404 when accepted)."""
    return client.get(f"{API}/bookings/999", headers={"Authorization": f"Bearer {token}"})


def test_list_shows_each_token_by_id_and_name_but_never_the_token(app, admin_token):
    cli(app, "create-api-token", "zapier")
    result = cli(app, "api-token", "list")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert [line.split("\t")[:2] for line in lines] == [["1", "tests"], ["2", "zapier"]]
    assert all(line.endswith("live") for line in lines)
    assert admin_token not in result.output


def test_a_revoked_token_stops_opening_the_api_at_once(app, client, admin_token):
    assert admin_get(client, admin_token).status_code == 404  # accepted: no such booking
    result = cli(app, "api-token", "revoke", "1")
    assert result.exit_code == 0 and "revoked API token 1 (tests)" in result.output
    refused = admin_get(client, admin_token)
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert "revoked" in cli(app, "api-token", "list").output


def test_revoking_leaves_the_other_tokens_working(app, client, admin_token):
    other = cli(app, "create-api-token", "zapier").output.strip()
    cli(app, "api-token", "revoke", "1")
    assert admin_get(client, other).status_code == 404


def test_revoking_an_unknown_or_silly_id_is_a_clear_error(app):
    for token_id in ("42", "0", "99999999999999999999999", "abc"):
        result = cli(app, "api-token", "revoke", token_id)
        assert result.exit_code != 0
    assert "no API token with id 42" in cli(app, "api-token", "revoke", "42").output


def test_list_says_so_when_there_are_no_tokens(app):
    assert cli(app, "api-token", "list").output.strip() == "no API tokens"
