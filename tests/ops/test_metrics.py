"""/metrics: what it counts (by route template, never the path) and who may read it."""
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from tests.conftest import base_config
from tests.ops.conftest import API, BOOKING, NOW, samples, scrape, value
from webapp import create_app
from webapp.extensions import db
from webapp.models import OutboxMessage

REMOTE = {"REMOTE_ADDR": "203.0.113.9"}
INTERNAL = {"REMOTE_ADDR": "10.1.2.3"}


def test_a_booking_moves_the_booking_and_request_counters(client):
    before = scrape(client)
    answer = client.post(f"{API}/bookings", json=BOOKING)
    assert answer.status_code == 201, answer.json
    after = scrape(client)
    created = "booking_bookings_created_total"
    assert value(after, created, channel="api") == value(before, created, channel="api") + 1
    posted = dict(route=f"{API}/bookings", method="POST", status="201")
    assert value(after, "booking_http_requests_total", **posted) == \
        value(before, "booking_http_requests_total", **posted) + 1
    timed = dict(route=f"{API}/bookings", method="POST")
    assert value(after, "booking_http_request_duration_seconds_count", **timed) == \
        value(before, "booking_http_request_duration_seconds_count", **timed) + 1


def test_a_refused_booking_is_not_counted(client):
    assert client.post(f"{API}/bookings", json=BOOKING).status_code == 201
    before = scrape(client)
    assert client.post(f"{API}/bookings", json=BOOKING).status_code == 409  # the same slot
    after = scrape(client)
    created = "booking_bookings_created_total"
    assert value(after, created, channel="api") == value(before, created, channel="api")


def test_paths_with_a_manage_token_appear_only_as_their_route_template(client):
    answer = client.post(f"{API}/bookings", json=BOOKING).json
    token = urlsplit(answer["manage_url"]).path.rsplit("/", 1)[1]
    assert client.get(f"/manage/{token}").status_code == 200
    assert client.get(f"{API}/bookings/{answer['uid']}").status_code == 200
    assert client.get("/no-such-page/secret-part-7Yx").status_code == 404
    text = client.get("/metrics").get_data(as_text=True)
    assert 'route="/manage/<token>"' in text
    assert 'route="/api/v1/booking/bookings/<public_id>"' in text
    assert 'route="unmatched"' in text
    for secret in (token, answer["uid"], "secret-part-7Yx"):
        assert secret not in text


def add_message(kind: str, status: str, due_minutes_ago: int) -> None:
    """Store an outbox row with the given kind and status, due that long before NOW."""
    db.session.add(OutboxMessage(kind=kind, status=status, key=f"{kind}:{status}:{due_minutes_ago}",
                                 due_at=NOW - timedelta(minutes=due_minutes_ago), payload={}))
    db.session.commit()


def test_outbox_gauges_are_read_from_the_database_at_scrape_time(client):
    add_message("confirmation", "pending", 30)
    add_message("reminder", "pending", 5)
    add_message("reminder", "pending", -600)  # due in ten hours: not waiting yet
    add_message("confirmation", "sending", 1)
    add_message("confirmation", "sent", 60)
    add_message("cancellation", "failed", 90)
    scraped = scrape(client)
    assert value(scraped, "booking_database_up") == 1
    assert value(scraped, "booking_outbox_depth") == 3  # two due pending rows and one sending
    assert value(scraped, "booking_outbox_oldest_pending_age_seconds") == 30 * 60
    assert value(scraped, "booking_outbox_messages", kind="reminder", status="pending") == 2
    assert value(scraped, "booking_outbox_messages", kind="confirmation", status="sent") == 1
    assert value(scraped, "booking_outbox_messages", kind="cancellation", status="failed") == 1
    # kinds without rows are there too, at 0, so a first failure is a rise the alert sees
    assert ("booking_outbox_messages", (("kind", "meeting_delete"), ("status", "failed"))) in scraped


def test_an_empty_outbox_has_no_age(client):
    scraped = scrape(client)
    assert value(scraped, "booking_outbox_depth") == 0
    assert value(scraped, "booking_outbox_oldest_pending_age_seconds") == 0


def test_without_settings_only_loopback_may_scrape(client):
    assert client.get("/metrics").status_code == 200  # the test client comes from 127.0.0.1
    assert client.get("/metrics", environ_base=REMOTE).status_code == 404
    assert client.get("/metrics", environ_base=INTERNAL).status_code == 404


@pytest.mark.parametrize("app_config", [{"METRICS_TOKEN": "s3cret-metrics-token-0123456789"}])
def test_a_token_is_required_and_checked(client):
    good = {"Authorization": "Bearer s3cret-metrics-token-0123456789"}
    missing = client.get("/metrics", environ_base=REMOTE)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/metrics", environ_base=REMOTE,
                      headers={"Authorization": "Bearer s3cret-metrics-token-012345678"}).status_code == 401
    assert client.get("/metrics", environ_base=REMOTE,
                      headers={"Authorization": "Basic s3cret-metrics-token-0123456789"}).status_code == 401
    assert client.get("/metrics").status_code == 401  # with a token set, loopback shows it too
    answer = client.get("/metrics", environ_base=REMOTE, headers=good)
    assert answer.status_code == 200 and "booking_http_requests_total" in answer.get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"METRICS_ALLOW": "10.0.0.0/8, fd00::/8"}])
def test_an_allow_list_lets_internal_addresses_in(client):
    assert client.get("/metrics", environ_base=INTERNAL).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "fd12::5"}).status_code == 200
    assert client.get("/metrics", environ_base=REMOTE).status_code == 404
    assert client.get("/metrics").status_code == 404  # loopback is not in the list


def test_a_wrong_allow_list_stops_the_start(tmp_path):
    with pytest.raises(ValueError, match="METRICS_ALLOW"):
        create_app({**base_config(tmp_path, f"sqlite:///{tmp_path / 'b.db'}"), "METRICS_ALLOW": "10.0.0/8x"})


def test_the_exposition_parses(client):
    assert samples(client.get("/metrics").get_data(as_text=True))


def test_an_unreachable_database_is_reported_not_raised(tmp_path):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'missing' / 'booking.db'}"))
    scraped = scrape(app.test_client())
    assert value(scraped, "booking_database_up") == 0
    assert ("booking_outbox_depth", ()) not in scraped
