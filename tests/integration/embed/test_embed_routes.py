"""The widget's pages: framing policy, cookie-less posts guarded by a signed token and Origin."""
import html
import json
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

import pytest

from tests.integration.embed.support import CALENDAR, PARTNER, bookings, form_fields, post
from webapp.clock import now
from webapp.extensions import db
from webapp.mail.references import booking_reference
from webapp.models import Booking
from webapp.services.settings import save_settings


def test_embed_pages_may_be_framed_only_by_allowed_origins(client):
    response = client.get(CALENDAR)
    csp = response.headers["Content-Security-Policy"]
    assert response.status_code == 200
    assert csp.endswith(f"frame-ancestors {PARTNER}")
    assert "X-Frame-Options" not in response.headers


def test_other_pages_still_refuse_every_frame(client):
    for url in ("/", "/book/consultation", "/embed.js"):
        response = client.get(url)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url
        assert response.headers["X-Frame-Options"] == "DENY", url


def test_embed_js_is_javascript_with_cache_headers(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert "max-age=3600" in response.headers["Cache-Control"]
    assert b"data-booking-widget" in response.data


def test_widget_is_off_when_no_origin_is_allowed(client):
    save_settings(embed_allowed_origins=[])
    response = client.get(CALENDAR)
    assert response.status_code == 404
    assert b"not enabled" in response.data
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_admin_changes_to_the_allowed_origins_apply_at_once(client):
    save_settings(embed_allowed_origins=["https://a.example", "https://b.example:8443", "bad value;"])
    csp = client.get(CALENDAR).headers["Content-Security-Policy"]
    assert csp.endswith("frame-ancestors https://a.example https://b.example:8443")


def test_unknown_look_is_not_found(client):
    assert client.get("/embed/notacolour/book/consultation").status_code == 404


def test_widget_books_without_any_cookie(client, details):
    url, data = details
    response = post(client, url, data)
    assert response.status_code == 303
    assert re.search(r"/embed/default/booking/[\w-]{43}$", response.headers["Location"])
    page = client.get(response.headers["Location"])
    assert b'data-embed-event="booking:created"' in page.data
    assert bookings() == 1
    for each in (response, page):
        assert "Set-Cookie" not in each.headers
    assert client.get_cookie("session") is None


@pytest.mark.parametrize("url", ["/embed/default/", CALENDAR])
def test_embed_pages_set_no_cookie(client, url):
    assert "Set-Cookie" not in client.get(url).headers


def test_details_page_sets_no_cookie(client, details):
    url, _ = details
    assert "Set-Cookie" not in client.get(url).headers


def test_post_from_another_origin_is_refused(client, details):
    url, data = details
    response = post(client, url, data, origin=PARTNER)
    assert response.status_code == 403
    assert bookings() == 0


def test_post_without_origin_needs_a_same_origin_fetch(client, details):
    url, data = details
    assert post(client, url, data, origin=None, **{"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert post(client, url, data, origin=None).status_code == 403
    assert bookings() == 0
    assert post(client, url, data, origin=None, **{"Sec-Fetch-Site": "same-origin"}).status_code == 303


def test_tampered_token_is_refused(client, details):
    url, data = details
    response = post(client, url, {**data, "embed_token": data["embed_token"][:-2] + "xx"})
    assert response.status_code == 400
    assert b"not valid" in response.data
    assert bookings() == 0


def test_token_for_another_time_is_refused(client, details):
    url, data = details
    later = (datetime.fromisoformat(data["start"]) + timedelta(minutes=30)).isoformat()
    response = post(client, url, {**data, "start": later})
    assert response.status_code == 400
    assert b"does not match" in response.data
    assert bookings() == 0


def test_expired_token_is_refused(app, client, details):
    url, data = details
    real = now()
    app.config["CLOCK"] = lambda: real + timedelta(minutes=31)
    response = post(client, url, data)
    assert response.status_code == 400
    assert b"expired" in response.data
    assert bookings() == 0


def test_a_time_taken_meanwhile_keeps_the_details_and_offers_the_days_other_times(client, details):
    url, data = details
    assert post(client, url, {**data, "client_email": "first@example.com"}).status_code == 303
    taken = post(client, url, {**data, "client_name": "Luigi Verdi"})
    page = taken.get_data(as_text=True)
    assert taken.status_code == 409 and "just taken" in page and 'value="Luigi Verdi"' in page
    offered = re.findall(r'name="start" value="([^"]+)"', page)
    assert offered and data["start"] not in offered
    fresh = form_fields(page)
    assert post(client, url, {**fresh, "start": offered[-1]}).status_code == 303
    assert bookings() == 2


def test_the_fresh_token_covers_only_the_offered_times(client, details):
    url, data = details
    post(client, url, data)
    fresh = form_fields(post(client, url, data).get_data(as_text=True))
    next_week = (datetime.fromisoformat(data["start"]) + timedelta(days=7)).isoformat()
    assert post(client, url, {**fresh, "start": next_week}).status_code == 400
    assert bookings() == 1


def test_invalid_details_re_render_with_the_same_token(client, details):
    url, data = details
    response = post(client, url, {**data, "client_email": "not-an-email"})
    assert response.status_code == 422
    assert data["embed_token"] in response.get_data(as_text=True)
    assert bookings() == 0


def test_partner_colour_and_hidden_header_are_honoured(client):
    plain = client.get(CALENDAR).get_data(as_text=True)
    themed = client.get("/embed/7a3e9d-noheader/book/consultation?tz=Europe/Rome").get_data(as_text=True)
    assert 'class="embed-header"' in plain and "theme.css" not in plain
    assert 'class="embed-header"' not in themed
    assert 'href="/embed/7a3e9d-noheader/theme.css?v=7a3e9d"' in themed
    assert 'href="/embed/7a3e9d-noheader/book/consultation?' in themed  # links keep the look
    css = client.get("/embed/7a3e9d-noheader/theme.css")
    assert css.mimetype == "text/css" and b"--accent: #7a3e9d" in css.data


def test_confirmation_tells_the_partner_what_was_booked(client, details):
    url, data = details
    page = client.get(post(client, url, data).headers["Location"]).get_data(as_text=True)
    detail = json.loads(html.unescape(re.search(r"data-embed-detail='([^']+)'", page).group(1)))
    db.session.remove()
    booking = db.session.scalar(db.select(Booking))
    assert booking.uid not in json.dumps(detail)  # the partner page gets nothing that opens it
    assert detail == {"reference": booking_reference(booking.uid), "start": booking.scheduled_at.isoformat(),
                      "end": booking.ends_at.isoformat(), "timezone": "Europe/Rome",
                      "service_type": "consultation", "meeting_url": booking.meeting_url}


def test_too_short_notice_is_explained_in_words_not_by_a_highlight(app, client):
    """The notice error belongs to no field of the form, so the alert itself must say it."""
    moment = datetime(2026, 11, 25, 8, tzinfo=timezone.utc)  # 09:00 in Rome
    app.config["CLOCK"] = lambda: moment
    start = (moment + timedelta(minutes=30)).isoformat()
    url = f"/embed/default/book/consultation/details?{urlencode({'start': start, 'tz': 'Europe/Rome', 'duration': 30})}"
    form = client.get(url)
    assert form.status_code == 200
    response = post(client, url, form_fields(form.get_data(as_text=True)))
    page = response.get_data(as_text=True)
    alert = re.search(r'<p class="alert" role="alert">([^<]*)</p>', page).group(1)
    assert response.status_code == 422
    assert "hours&#39; notice" in alert and "highlighted" not in alert
    assert 'class="error"' not in page  # nothing highlighted: the alert says it all
    assert bookings() == 0
