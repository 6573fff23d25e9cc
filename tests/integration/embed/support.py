"""Helpers for the widget route tests: find a free time, read its form, post it."""
import re

from webapp.extensions import db
from webapp.models import Booking

PARTNER = "https://partner.example"
SITE = "http://localhost"
CALENDAR = "/embed/default/book/consultation?tz=Europe/Rome"


def first_time_link(client) -> str:
    """Return the details link of the first free time in the coming months."""
    html = client.get(CALENDAR).get_data(as_text=True)
    for _ in range(3):
        days = re.findall(r'<td class="open[^"]*"><a href="([^"]+)"', html)
        if days:
            day_html = client.get(days[0].replace("&amp;", "&")).get_data(as_text=True)
            return re.search(r'class="time" href="([^"]+)"', day_html).group(1).replace("&amp;", "&")
        html = client.get(re.search(r'href="([^"]+)"\s+hx-get="[^"]+"[^>]*rel="next"', html)
                          .group(1).replace("&amp;", "&")).get_data(as_text=True)
    raise AssertionError("no free time found")


def form_fields(html: str) -> dict:
    """Return the hidden fields of the details form plus valid client details."""
    hidden = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*type="hidden"[^>]*value="([^"]*)"', html))
    hidden.update(re.findall(r'<input[^>]*type="hidden"[^>]*name="(\w+)"[^>]*value="([^"]*)"', html))
    return {**{k: v.replace("&#43;", "+").replace("&amp;", "&") for k, v in hidden.items()},
            "client_name": "Ada Lovelace", "client_email": "ada@example.com",
            "meeting_provider": "jitsi"}


def post(client, url, data, origin=SITE, **headers):
    """Post the details form as the widget's frame would (Origin: the site itself)."""
    if origin:
        headers["Origin"] = origin
    return client.post(url.split("?")[0], data=data, headers=headers)


def bookings() -> int:
    """Count stored bookings."""
    db.session.remove()
    return len(db.session.scalars(db.select(Booking)).all())


