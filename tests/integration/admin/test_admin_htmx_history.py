"""Back after htmx swaps in the admin: a history restore gets the whole page, never a fragment."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.factories import store_booking

RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


def soon() -> datetime:
    """Return a round hour three days ahead (UTC)."""
    return (datetime.now(timezone.utc) + timedelta(days=3)).replace(hour=9, minute=0, second=0,
                                                                    microsecond=0)


@pytest.mark.parametrize("path, marker", [
    ("/admin/bookings?status=confirmed", "Anna Bianchi"),
    ("/admin/bookings/{id}", "Anna Bianchi"),
    ("/admin/bookings/{id}/reschedule", "data-picker"),
])
def test_a_history_restore_of_an_htmx_page_gets_the_whole_page(admin_client, path, marker):
    booking = store_booking(client_name="Anna Bianchi", status="confirmed", scheduled_at=soon())
    url = path.format(id=booking.id)
    fragment = admin_client.get(url, headers={"HX-Request": "true"})
    restored = admin_client.get(url, headers=RESTORE)
    assert "<html" not in fragment.get_data(as_text=True)  # htmx's own swaps stay fragments
    page = restored.get_data(as_text=True)
    assert restored.status_code == 200
    assert "<html" in page and 'class="admin-nav"' in page and marker in page
    assert "HX-History-Restore-Request" in restored.headers["Vary"]


def test_a_history_restore_after_logging_out_is_sent_to_the_login_page(client):
    """Not an htmx swap, so a plain redirect the restore can follow, not an HX-Redirect."""
    response = client.get("/admin/bookings?status=confirmed", headers=RESTORE)
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert "HX-Redirect" not in response.headers
