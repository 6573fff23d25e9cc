"""How every HTTP provider reports failures: auth, rate limits, outages, bad requests."""
import socket

import pytest
import requests

from webapp.meetings import ProviderAuthError, ProviderError, build_provider

TOKENS = {"google_meet": "google-access-token", "zoom": "zoom-access-token",
          "teams": "graph-access-token"}
URL_KEYS = {"google_meet": "GOOGLE_API_BASE_URL", "zoom": "ZOOM_API_BASE_URL",
            "teams": "GRAPH_API_BASE_URL", "whereby": "WHEREBY_API_BASE_URL"}
STUBS = {"google_meet": "google_stub", "zoom": "zoom_stub", "teams": "graph_stub",
         "whereby": "whereby_stub"}


def _provider(key, base_url, token=None):
    config = {URL_KEYS[key]: base_url, "WHEREBY_API_KEY": token or "whereby-api-key"}
    getter = (lambda: token or TOKENS[key]) if key in TOKENS else None
    return build_provider(key, config, getter)


@pytest.fixture(params=sorted(STUBS))
def stub_and_provider(request):
    stub = request.getfixturevalue(STUBS[request.param])
    return stub, _provider(request.param, stub.url)


def test_an_expired_token_asks_for_reconnection(stub_and_provider, make_request):
    stub, provider = stub_and_provider
    stub.tokens.clear()  # the token the getter returns is no longer valid

    with pytest.raises(ProviderAuthError) as err:
        provider.create(make_request())

    assert err.value.status == 401 and not err.value.retryable


def test_rate_limit_is_retryable_and_carries_retry_after(stub_and_provider, make_request):
    stub, provider = stub_and_provider
    stub.fail_next(429, retry_after=30)

    with pytest.raises(ProviderError) as err:
        provider.create(make_request())

    assert err.value.retryable and err.value.retry_after == 30


def test_server_error_is_retryable_and_the_retry_succeeds(stub_and_provider, make_request):
    stub, provider = stub_and_provider
    stub.fail_next(500)

    with pytest.raises(ProviderError) as err:
        provider.create(make_request())
    meeting = provider.create(make_request())

    assert err.value.retryable and err.value.status == 500
    assert meeting.url


def test_a_rejected_request_is_a_final_error(stub_and_provider, make_request):
    stub, provider = stub_and_provider
    stub.fail_next(400)

    with pytest.raises(ProviderError) as err:
        provider.create(make_request())

    assert not err.value.retryable and not isinstance(err.value, ProviderAuthError)


def test_deleting_a_meeting_that_never_existed_succeeds(stub_and_provider):
    stub, provider = stub_and_provider

    provider.delete("1234567890")

    assert stub.calls("DELETE")


@pytest.mark.parametrize("key", sorted(STUBS))
def test_an_unreachable_provider_is_retryable(key, make_request):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"

    with pytest.raises(ProviderError) as err:
        _provider(key, url).create(make_request())

    assert err.value.retryable


def test_a_provider_that_hangs_times_out_as_retryable(make_request):
    with socket.socket() as sock:  # accepts connections, never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        provider = build_provider("zoom", {"ZOOM_API_BASE_URL": f"http://127.0.0.1:{sock.getsockname()[1]}"},
                                  lambda: "zoom-access-token")
        provider.api.timeout = (1, 0.2)

        with pytest.raises(ProviderError) as err:
            provider.create(make_request())

    assert err.value.retryable and isinstance(err.value.__cause__, requests.Timeout)
