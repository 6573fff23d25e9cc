"""The API lists hosts (public fields only) and takes an optional host on availability and bookings."""
from datetime import time

import pytest

from tests.factories import create_rule
from tests.integration.api.conftest import API, SEED_AVAILABILITY, SEED_BOOKING
from webapp.services.hosts import default_host, save_host, set_service_hosts


@pytest.fixture
def bea(app):
    """A second host giving consultations from 14:00 to 16:00 (Rome), beside the default host."""
    host = save_host(name="Bea Verdi", email="bea@studio.example", timezone="Europe/Rome",
                     photo_url="https://studio.example/bea.jpg")
    for day in range(5):
        create_rule(host_id=host.id, day_of_week=day, start_time=time(14), end_time=time(16))
    set_service_hosts("consultation", [default_host().id, host.id], "client_chooses")
    return host


def wednesday_times(client, **changes) -> list[str]:
    """Return the consultation times on the seed's Wednesday."""
    answer = client.post(f"{API}/calendar/availability",
                         json={**SEED_AVAILABILITY, "end_date": "2025-11-05", **changes})
    assert answer.status_code == 200, answer.json
    return [slot["datetime"][11:16] for slot in answer.json["availability"][0]["slots"]]


def test_hosts_are_listed_without_their_email(client, bea):
    hosts = client.get(f"{API}/hosts").json["hosts"]
    assert {"slug": "bea-verdi", "name": "Bea Verdi", "photo_url": "https://studio.example/bea.jpg",
            "timezone": "Europe/Rome"} in hosts
    assert "bea@studio.example" not in str(hosts) and all("email" not in host for host in hosts)


def test_availability_for_one_host_and_for_anyone(client, bea):
    assert wednesday_times(client, host="bea-verdi") == ["14:00", "14:30", "15:00", "15:30"]
    anyone = wednesday_times(client)
    assert anyone[0] == "09:00" and len(anyone) == 16  # 09:00-17:00 from the default host, 14-16 overlaps


def test_an_unknown_host_is_a_422(client, bea):
    answer = client.post(f"{API}/calendar/availability", json={**SEED_AVAILABILITY, "host": "nobody"})
    assert answer.status_code == 422 and "host" in answer.json["error"]["fields"]


def test_booking_a_named_host_and_then_the_same_time_with_anyone(client, bea):
    at_two = {**SEED_BOOKING, "scheduled_at": "2025-11-05T14:00:00"}
    first = client.post(f"{API}/bookings", json={**at_two, "host": "bea-verdi"})
    assert first.status_code == 201 and [h["slug"] for h in first.json["hosts"]] == ["bea-verdi"]
    second = client.post(f"{API}/bookings", json=at_two)  # anyone: the default host is still free
    assert second.status_code == 201 and second.json["hosts"][0]["slug"] != "bea-verdi"
    again = client.post(f"{API}/bookings", json={**at_two, "host": "bea-verdi"})
    assert again.status_code == 409


def test_a_host_who_does_not_give_the_type_is_a_422(client, bea):
    set_service_hosts("demo", [default_host().id], "client_chooses")
    answer = client.post(f"{API}/bookings", json={**SEED_BOOKING, "service_type": "demo", "host": "bea-verdi"})
    assert answer.status_code == 422 and "host" in answer.json["error"]["fields"]
