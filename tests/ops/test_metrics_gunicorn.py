"""Under gunicorn with several workers, every scrape counts every worker's requests."""
import httpx

from tests.ops.conftest import API, samples, value

HEALTH = dict(route=f"{API}/health", method="GET", status="200")


def fresh_get(gunicorn, path: str) -> httpx.Response:
    """GET on a new connection, so the requests spread over the workers."""
    return gunicorn.client.get(path, headers={"Connection": "close"})


def test_every_scrape_adds_up_the_requests_of_every_worker(gunicorn):
    before = value(samples(fresh_get(gunicorn, "/metrics").text), "booking_http_requests_total", **HEALTH)
    for _ in range(20):
        assert fresh_get(gunicorn, f"{API}/health").status_code == 200
    counts = {value(samples(fresh_get(gunicorn, "/metrics").text), "booking_http_requests_total", **HEALTH)
              for _ in range(8)}
    assert counts == {before + 20}
