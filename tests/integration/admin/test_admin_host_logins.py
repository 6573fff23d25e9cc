"""Host logins (role "host") see and change only their own host's bookings, hours and blocked dates."""
import re
from datetime import date, datetime, time, timedelta, timezone

import pytest

from tests.factories import create_block, create_rule, store_booking
from tests.integration.admin.conftest import ADMIN_PASSWORD, log_in, post_form, reloaded
from webapp.extensions import db
from webapp.models import AvailabilitySlot, BlockedDate, Booking, ServiceType
from webapp.services.admin_accounts import create_admin
from webapp.services.hosts import save_host

HOST_EMAIL = "ann@studio.example"
START = datetime(2030, 1, 7, 9, tzinfo=timezone.utc)


@pytest.fixture
def two_hosts(app, admin_user):
    """Ann (with a host login) and Bob, each with a booking, a weekly rule and a blocked date."""
    login, _ = create_admin(HOST_EMAIL, ADMIN_PASSWORD, role="host")
    ann = save_host(name="Ann", email=HOST_EMAIL, timezone="Europe/Rome", admin_user_id=login.id)
    bob = save_host(name="Bob", email="bob@studio.example", timezone="Europe/Rome")
    rows = {}
    for host in (ann, bob):
        booking = store_booking(hosts=[host], client_name=f"Client of {host.name}", status="confirmed",
                                scheduled_at=START, ends_at=START + timedelta(minutes=30))
        rule = create_rule(host_id=host.id)
        block = create_block(host_id=host.id, blocked_date=date(2099, 1, 1), reason=f"Away {host.name}")
        rows[host.name] = dict(host=host, booking=booking.id, rule=rule.id, block=block.id)
    return rows


@pytest.fixture
def ann_client(client, two_hosts):
    """A client logged in as Ann's host login."""
    assert log_in(client, HOST_EMAIL).status_code == 303
    return client


@pytest.mark.parametrize("url", [
    "/admin/bookings/{booking}", "/admin/bookings/{booking}/reschedule",
    "/admin/availability/rules/{rule}",
])
def test_another_hosts_rows_are_not_found_by_url(ann_client, two_hosts, url):
    assert ann_client.get(url.format(**two_hosts["Bob"])).status_code == 404
    assert ann_client.get(url.format(**two_hosts["Ann"])).status_code == 200


def test_the_booking_page_names_its_host(ann_client, two_hosts):
    page = ann_client.get(f"/admin/bookings/{two_hosts['Ann']['booking']}").get_data(as_text=True)
    assert "<dt>Host</dt><dd>Ann</dd>" in page
    assert 'href="/admin/settings"' not in page  # the menu shows a host login only their pages


@pytest.mark.parametrize("url, data", [
    ("/admin/bookings/{booking}/confirm", {}),
    ("/admin/bookings/{booking}/cancel", {"cancellation_reason": "no"}),
    ("/admin/bookings/{booking}/complete", {}),
    ("/admin/bookings/{booking}/no-show", {}),
    ("/admin/bookings/{booking}/notes", {"internal_notes": "changed by Ann"}),
    ("/admin/bookings/{booking}/follow-up", {"subject": "Hi", "message": "Hello"}),
    ("/admin/bookings/{booking}/resend", {}),
    ("/admin/bookings/{booking}/reschedule", {"start": "2030-01-08T09:00:00+00:00"}),
    ("/admin/availability/rules/{rule}", {"service_type": "consultation", "day_of_week": "1",
                                          "start_time": "10:00", "end_time": "11:00", "slot_duration": "30"}),
    ("/admin/availability/rules/{rule}/delete", {}),
    ("/admin/blocked-dates/{block}/delete", {}),
])
def test_another_hosts_rows_cannot_be_changed(ann_client, two_hosts, url, data):
    bob = two_hosts["Bob"]
    response = post_form(ann_client, url.format(**bob), data)
    assert response.status_code == 404
    booking = reloaded(Booking, bob["booking"])
    assert booking.status == "confirmed" and booking.scheduled_at == START and not booking.internal_notes
    assert db.session.get(AvailabilitySlot, bob["rule"]).day_of_week == 0
    assert db.session.get(BlockedDate, bob["block"]) is not None


@pytest.mark.parametrize("url", [
    "/admin/bookings", "/admin/bookings.csv", "/admin/calendar?week=2030-01-07",
    "/admin/calendar/month?month=2030-01", "/admin/calendar/day?day=2030-01-07",
    "/admin/bookings?host=bob", "/admin/calendar?week=2030-01-07&host=bob",
    "/admin/calendar/day?day=2030-01-07&host=bob",
])
def test_lists_show_only_the_hosts_own_bookings(ann_client, url):
    page = ann_client.get(url).get_data(as_text=True)
    assert "Client of Ann" in page
    assert "Client of Bob" not in page


@pytest.mark.parametrize("url", ["/admin/availability", "/admin/blocked-dates", "/admin/availability?host=bob"])
def test_hours_and_blocks_pages_show_only_their_own(ann_client, two_hosts, url):
    page = ann_client.get(url).get_data(as_text=True)
    assert "Bob" not in page
    assert f"/admin/availability/rules/{two_hosts['Bob']['rule']}" not in page


@pytest.mark.parametrize("url", [
    "/admin/settings", "/admin/service-types", "/admin/service-types/consultation", "/admin/hosts",
    "/admin/hosts/1", "/admin/webhooks", "/admin/outbox", "/admin/integrations",
])
def test_admin_pages_are_forbidden(ann_client, url):
    assert ann_client.get(url).status_code == 403


@pytest.mark.parametrize("url, data", [
    ("/admin/service-types/consultation/hosts", {"assignment": "round_robin"}),
    ("/admin/hosts", {"name": "Eve", "email": "eve@studio.example", "timezone": "UTC"}),
    ("/admin/settings", {}),
    ("/admin/webhooks", {"url": "https://example.com/hook"}),
])
def test_admin_changes_are_forbidden(ann_client, url, data):
    assert post_form(ann_client, url, data).status_code == 403


def test_a_rule_added_by_a_host_login_is_their_own_and_cannot_name_another(ann_client, two_hosts):
    rule = {"service_type": "consultation", "day_of_week": "2", "start_time": "09:00", "end_time": "10:00",
            "slot_duration": "30"}
    assert post_form(ann_client, "/admin/availability/rules", rule).status_code == 303
    db.session.rollback()  # see what the request committed
    added = db.session.scalars(db.select(AvailabilitySlot.host_id).where(
        AvailabilitySlot.day_of_week == 2, AvailabilitySlot.start_time == time(9),
        AvailabilitySlot.end_time == time(10)))
    assert list(added) == [two_hosts["Ann"]["host"].id]
    bob = {**rule, "day_of_week": "3", "host_id": str(two_hosts["Bob"]["host"].id)}
    assert post_form(ann_client, "/admin/availability/rules", bob).status_code == 422
    block = {"date_from": "2099-02-01", "all_day": "y", "reason": "Off", "host_id": str(two_hosts["Bob"]["host"].id)}
    assert post_form(ann_client, "/admin/blocked-dates", block).status_code == 422


def test_a_host_login_without_a_host_is_refused(client, app, admin_user):
    create_admin("nobody@studio.example", ADMIN_PASSWORD, role="host")
    assert log_in(client, "nobody@studio.example").status_code == 303
    assert client.get("/admin/bookings").status_code == 403


def test_an_admin_still_sees_every_host_and_filters_by_one(admin_client, two_hosts):
    every = admin_client.get("/admin/bookings").get_data(as_text=True)
    assert "Client of Ann" in every and "Client of Bob" in every
    only_bob = admin_client.get("/admin/bookings?host=bob").get_data(as_text=True)
    assert "Client of Bob" in only_bob and "Client of Ann" not in only_bob
    day = admin_client.get("/admin/calendar/day?day=2030-01-07").get_data(as_text=True)
    assert '<th scope="col" id="host-' in day and "Client of Ann" in day and "Client of Bob" in day
    assert admin_client.get("/admin/bookings?host=nobody").status_code == 404


def test_hosts_are_added_and_edited_with_messages_on_errors(admin_client, two_hosts):
    bad = post_form(admin_client, "/admin/hosts", {"name": "", "email": "nope", "timezone": "Mars/Base"})
    assert bad.status_code == 422
    assert "Choose an IANA time zone" in bad.get_data(as_text=True)
    good = post_form(admin_client, "/admin/hosts", {"name": "Cy Young", "email": "cy@studio.example",
                                                    "timezone": "Europe/Rome", "priority": "3", "active": "y"})
    assert good.status_code == 303
    assert "Cy Young" in admin_client.get("/admin/hosts").get_data(as_text=True)
    ann = two_hosts["Ann"]["host"]
    taken = post_form(admin_client, f"/admin/hosts/{ann.id}", {"name": "Ann", "slug": "bob", "email": HOST_EMAIL,
                                                               "timezone": "Europe/Rome"})
    assert taken.status_code == 422 and "Another host uses this address" in taken.get_data(as_text=True)


def test_a_service_types_hosts_and_assignment_are_set(admin_client, two_hosts):
    ann, bob = two_hosts["Ann"]["host"], two_hosts["Bob"]["host"]
    response = post_form(admin_client, "/admin/service-types/consultation/hosts",
                         {"host_ids": [str(ann.id), str(bob.id)], "assignment": "collective"})
    assert response.status_code == 303
    service_id = db.session.scalar(db.select(ServiceType.id).where(ServiceType.key == "consultation"))
    service = reloaded(ServiceType, service_id)
    assert service.assignment == "collective" and [h.name for h in service.hosts] == ["Ann", "Bob"]
    page = admin_client.get("/admin/service-types/consultation").get_data(as_text=True)
    assert re.search(rf'<input checked[^>]*value="{ann.id}"', page)
    bad = post_form(admin_client, "/admin/service-types/consultation/hosts", {"assignment": "lottery"})
    assert bad.status_code == 422 and "Choose one of the listed modes" in bad.get_data(as_text=True)


def test_the_dashboard_shows_only_their_own_coming_bookings(ann_client, two_hosts):
    soon = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=1)
    db.session.rollback()  # end the test session's read, so it may write beside the server's requests
    for name in ("Ann", "Bob"):
        store_booking(hosts=[two_hosts[name]["host"]], client_name=f"Soon with {name}", status="pending",
                      scheduled_at=soon, ends_at=soon + timedelta(minutes=30))
    page = ann_client.get("/admin/").get_data(as_text=True)
    assert "Soon with Ann" in page and "Soon with Bob" not in page
