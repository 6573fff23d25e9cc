"""Every page a client sees speaks their language, keeps it to the end of the booking, and writes
dates and times the way their locale does (CLDR: month and weekday names, week start, clock)."""
import re
from datetime import datetime, time, timezone
from html import unescape
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import csrf_from
from tests.factories import book, create_rule, create_service_type
from tests.integration.embed.support import form_fields as widget_fields
from webapp.extensions import db
from webapp.models import Booking, ServiceType
from webapp.models.host import CLIENT_CHOOSES
from webapp.services.hosts import save_host, set_service_hosts

NOW = datetime(2026, 11, 25, 8, tzinfo=timezone.utc)  # a Wednesday, 09:00 in Rome
DAY = "/book/consultation?tz=Europe/Rome&day=2026-12-02"
ITALIAN = {"Accept-Language": "it-IT,it;q=0.9"}
#: words of the pages' English that Italian never uses: one left on an Italian page is unmarked text
ENGLISH_WORDS = frozenset({
    "the", "your", "you", "and", "with", "of", "choose", "book", "booking", "bookings", "booked", "minutes",
    "minute", "free", "month", "months", "day", "days", "please", "this", "that", "time", "times", "back",
    "next", "previous", "cancel", "reschedule", "details", "show", "all", "here", "we", "our", "not", "is",
    "are", "was", "were", "be", "it", "its", "for", "from", "by", "video", "call", "after", "before", "more",
    "less", "optional", "required", "fields", "field", "marked", "star", "manage", "keep", "reason", "name",
    "phone", "company", "subject", "notes", "when", "duration", "status", "reference", "service", "services",
    "zone", "zones", "search", "clock", "hour", "calendar", "download", "remove", "opening", "others", "add",
    "yes", "confirm", "confirmed", "confirmation", "received", "review", "reviewed", "sent", "check", "page",
    "found", "nothing", "followed", "expired", "request", "understood", "again", "allowed", "too", "many",
    "go", "first", "lost", "enter", "address", "upcoming", "arrive", "change", "plans", "another", "meeting",
    "new", "move", "moved", "discuss", "what", "would", "like", "only", "arrange", "send", "reminders",
    "changes", "set", "up", "erased", "privacy", "notice", "news", "offers", "withdraw", "any", "anyone",
    "length", "start", "needed",
})


@pytest.fixture
def app_config():
    """Freeze the clock; let one partner frame the widget."""
    return {"CLOCK": lambda: NOW, "EMBED_ALLOWED_ORIGINS": ["https://partner.example"]}


class VisibleText(HTMLParser):
    """Collect what a visitor reads or hears: text nodes and the labels in attributes.

    Left out: scripts, styles, <code> (a link or a reference) and the zone <select>'s options
    (IANA names such as America/New_York).
    """

    SPOKEN_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")

    def __init__(self):
        super().__init__()
        self.parts, self._skipping = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "code") or (tag == "select" and attrs.get("id") == "tz"):
            self._skipping.append(tag)
        if tag == "meta" and attrs.get("name") == "description":
            self.parts.append(attrs.get("content") or "")
        self.parts.extend(attrs[name] or "" for name in self.SPOKEN_ATTRIBUTES if name in attrs)

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def english_words_left(html: str, *data: str) -> set[str]:
    """Return the English words an Italian page still shows, after leaving out the `data` it displays
    (the business's own words: service and host names, the client's name and email, zones)."""
    parser = VisibleText()
    parser.feed(html)
    text = unescape(" ".join(parser.parts))
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    text = re.sub(r"\b[\w.+-]+@[\w.-]+\b|\b[A-Z][A-Za-z_]+/[A-Za-z_/]+\b|https?://\S+", " ", text)
    return {word for word in re.findall(r"[A-Za-z]+", text) if word.lower() in ENGLISH_WORDS}


def link(html: str, pattern: str) -> str:
    """Return the first URL matching `pattern` (a regex with one group) in a page, unescaped."""
    match = re.search(pattern, html)
    assert match, f"no link matching {pattern}"
    return unescape(match.group(1))


def booking_form_fields(url: str, html: str, **overrides) -> dict:
    """Return a valid site booking form for the time in `url`."""
    query = dict(part.split("=", 1) for part in urlsplit(url).query.split("&"))
    return {"csrf_token": csrf_from(html), "start": unquote(query["start"]), "tz": unquote(query["tz"]),
            "duration": query["duration"], "client_name": "Mario Rossi", "client_email": "mario@example.com",
            "meeting_provider": "jitsi", **overrides}


def form_action(html: str, css_class: str = "booking-form") -> str:
    """Return the action of the page's form with `css_class`."""
    return link(html, rf'<form method="post" action="([^"]+)" class="{css_class}"')


def last_booking() -> Booking:
    """Return the newest stored booking, read afresh."""
    db.session.remove()
    return db.session.scalars(db.select(Booking).order_by(Booking.id.desc())).first()


@pytest.fixture
def team(app):
    """A service given by two hosts the client chooses between, so the host page and choice show."""
    create_service_type(key="team", name="Team call")
    ann = save_host(name="Ann Smith", email="ann@studio.example", timezone="Europe/Rome", slug="ann-smith")
    bob = save_host(name="Bob Jones", email="bob@studio.example", timezone="Europe/Rome", slug="bob-jones")
    for host in (ann, bob):
        create_rule(host_id=host.id, service_type="team", day_of_week=2, start_time=time(9), end_time=time(10))
    set_service_hosts("team", [ann.id, bob.id], CLIENT_CHOOSES)


def italian_booking_journey(client) -> dict[str, str]:
    """Book in Italian through the site and open every page a client meets; return them by name."""
    pages = {"start": client.get("/", headers=ITALIAN).text,
             "host": client.get("/with/ann-smith", headers=ITALIAN).text,
             "month": client.get("/book/team?tz=Europe/Rome", headers=ITALIAN).text,
             "day": client.get("/book/team?tz=Europe/Rome&day=2026-12-02", headers=ITALIAN).text,
             "day (htmx)": client.get("/book/team?tz=Europe/Rome&day=2026-12-02",
                                      headers={**ITALIAN, "HX-Request": "true"}).text,
             "empty month": client.get("/book/consultation?tz=Europe/Rome&month=2026-11&day=2026-11-25",
                                       headers=ITALIAN).text}
    url = link(pages["day"], r'class="time" href="([^"]+)"')
    pages["details"] = client.get(url, headers=ITALIAN).text
    refused = client.post(form_action(pages["details"]), headers=ITALIAN,
                          data=booking_form_fields(url, pages["details"], client_name="", client_email="x"))
    assert refused.status_code == 422
    pages["details refused"] = refused.text
    booked = client.post(form_action(pages["details"]), headers=ITALIAN,
                         data=booking_form_fields(url, pages["details"], client_phone="abc"))
    assert booked.status_code == 422  # the service's own check (phone) in Italian
    pages["details refused by the service"] = booked.text
    booked = client.post(form_action(pages["details"]), headers=ITALIAN,
                         data=booking_form_fields(url, pages["details"]))
    assert booked.status_code == 303
    pages["confirmation"] = client.get(booked.location, headers=ITALIAN).text
    manage = "/manage/" + booked.location.split("/booking/")[1].split("?")[0]
    pages["manage"] = client.get(manage, headers=ITALIAN).text
    pages["cancel"] = client.get(manage + "/cancel", headers=ITALIAN).text
    pages["reschedule"] = client.get(manage + "/reschedule?day=2026-12-09", headers=ITALIAN).text
    pages["reschedule confirm"] = client.get(link(pages["reschedule"], r'class="time" href="([^"]+)"'),
                                             headers=ITALIAN).text
    pages["lost"] = client.get("/manage/lost", headers=ITALIAN).text
    pages["lost refused"] = client.post("/manage/lost", data={"csrf_token": csrf_from(pages["lost"]), "email": ""},
                                        headers=ITALIAN).text
    pages["zones"] = client.get("/zones?back=" + "/book/team%3Ftz%3DEurope/Rome", headers=ITALIAN).text
    pages["404"] = client.get("/manage/not-a-token", headers=ITALIAN).text
    pages["400"] = client.get("/book/team?tz=Nowhere/Atlantis", headers=ITALIAN).text
    pages["widget services"] = client.get("/embed/default/", headers=ITALIAN).text
    pages["widget calendar"] = client.get("/embed/default/book/team?tz=Europe/Rome&day=2026-12-02",
                                          headers=ITALIAN).text
    pages["widget details"] = client.get(link(pages["widget calendar"], r'class="time" href="([^"]+)"'),
                                         headers=ITALIAN).text
    pages["widget error"] = client.get("/embed/default/book/nothing", headers=ITALIAN).text
    return pages


def test_every_client_page_in_italian_shows_no_english(client, team):
    """Fails when a page a client meets has text nobody marked for translation."""
    pages = italian_booking_journey(client)
    data = ("Team call", "Ann Smith", "Bob Jones", "Consultation", "Mario Rossi", "StudiocentOS", "Jitsi Meet",
            "Europe/Rome", "UTC", "Email", "email", "widget", "Google", "Outlook.com", "Office", "Apple",
            "Calendar", ".ics", "Booking", "JSON",
            *filter(None, db.session.scalars(db.select(ServiceType.description))))
    leftovers = {name: english_words_left(html, *data) for name, html in pages.items()}
    assert {name: words for name, words in leftovers.items() if words} == {}
    assert all('<html lang="it"' in html for name, html in pages.items() if "htmx" not in name)


def test_italian_pages_write_dates_the_italian_way(client):
    html = client.get(DAY, headers=ITALIAN).text
    assert "dicembre 2026" in html and "mercoledì 2 dicembre" in html
    headers = re.findall(r'<th scope="col"><abbr title="([^"]+)">([^<]+)</abbr>', html)
    assert [short for _full, short in headers] == ["lun", "mar", "mer", "gio", "ven", "sab", "dom"]
    assert re.findall(r'class="time" href="[^"]+"[^>]*>([^<]+)</a>', html)[0] == "09:00"


def test_american_english_starts_the_week_on_sunday_and_british_on_monday(client):
    american = client.get(DAY, headers={"Accept-Language": "en-US"}).text
    british = client.get(DAY, headers={"Accept-Language": "en-GB"}).text
    weekdays = r'<th scope="col"><abbr title="([^"]+)">'
    assert re.findall(weekdays, american)[0] == "Sunday" and re.findall(weekdays, british)[0] == "Monday"
    assert "December 2026" in american and "Wednesday 2 December" in british
    # December 2026 begins on a Tuesday: two blank days before it from Sunday, one from Monday
    first_week = r"<tbody>\s*<tr>(.*?)</tr>"
    assert re.search(first_week, american, re.S).group(1).count("<td></td>") == 2
    assert re.search(first_week, british, re.S).group(1).count("<td></td>") == 1


def test_an_italian_browser_that_chooses_english_keeps_24_hours(client):
    html = client.get(DAY + "&lang=en", headers=ITALIAN).text
    assert '<html lang="en">' in html and "Wednesday 2 December" in html
    assert re.findall(r'class="time" href="[^"]+"[^>]*>([^<]+)</a>', html)[0] == "09:00"


def test_a_chosen_language_lasts_through_the_flow_and_is_stored_on_the_booking(client):
    english_browser = {"Accept-Language": "en-US"}
    calendar = client.get("/book/consultation?tz=Europe/Rome&lang=it", headers=english_browser).text
    assert '<html lang="it">' in calendar
    day_link = link(calendar, r'<td class="open[^"]*"><a href="([^"]+)"')
    assert "lang=it" in day_link and "lang=it" in link(calendar, r'rel="next"[^>]*|href="([^"]+)"[^>]*rel="next"')
    fragment = client.get(day_link, headers={**english_browser, "HX-Request": "true"}).text
    time_link = link(fragment, r'class="time" href="([^"]+)"')
    assert "lang=it" in time_link
    details = client.get(time_link, headers=english_browser).text
    assert "I tuoi dati" in details and "lang=it" in form_action(details)
    booked = client.post(form_action(details), data=booking_form_fields(time_link, details), headers=english_browser)
    assert booked.status_code == 303 and "lang=it" in booked.location
    assert last_booking().locale == "it"
    assert "La tua prenotazione è confermata" in client.get(booked.location, headers=english_browser).text


def test_the_widget_takes_its_language_from_the_frame_url_and_keeps_it_without_a_cookie(client):
    english_browser = {"Accept-Language": "en-US"}
    calendar = client.get("/embed/default/book/consultation?tz=Europe/Rome&day=2026-12-02&lang=it",
                          headers=english_browser)
    assert "Set-Cookie" not in calendar.headers and '<html lang="it"' in calendar.text
    time_link = link(calendar.text, r'class="time" href="([^"]+)"')
    details = client.get(time_link, headers=english_browser).text
    action = form_action(details)
    assert "lang=it" in action and "I tuoi dati" in details
    booked = client.post(action, data=widget_fields(details), headers={**english_browser, "Origin": "http://localhost"})
    assert booked.status_code == 303, booked.text
    assert last_booking().locale == "it" and "lang=it" in booked.location
    assert "La tua prenotazione è confermata" in client.get(booked.location, headers=english_browser).text


def test_form_messages_are_italian(client):
    details_url = link(client.get(DAY, headers=ITALIAN).text, r'class="time" href="([^"]+)"')
    details = client.get(details_url, headers=ITALIAN).text
    refused = client.post(form_action(details), headers=ITALIAN,
                          data=booking_form_fields(details_url, details, client_name="", client_email="nope"))
    assert refused.status_code == 422
    assert "Questo campo è obbligatorio." in refused.text  # WTForms' own message, in Italian
    assert "Correggi i campi evidenziati." in refused.text


def test_every_unknown_token_gets_the_same_italian_404(client):
    first = client.get("/manage/" + "a" * 40, headers=ITALIAN)
    second = client.get("/manage/" + "b" * 40, headers=ITALIAN)
    confirmation = client.get("/booking/" + "c" * 40, headers=ITALIAN)
    assert first.status_code == second.status_code == confirmation.status_code == 404
    assert first.text == second.text == confirmation.text and "Pagina non trovata" in first.text
    assert "a" * 40 not in first.text


def test_the_manage_pages_speak_the_bookings_language_until_the_client_switches(client):
    booking = book(datetime(2026, 12, 2, 9, tzinfo=timezone.utc), NOW, locale="en")
    manage = f"/manage/{booking.manage_token}"
    assert "Your booking" in client.get(manage, headers=ITALIAN).text  # booked in English
    italian = client.get(manage + "?lang=it", headers={"Accept-Language": "en"}).text
    assert "La tua prenotazione" in italian and "lang=it" in link(italian, r'href="([^"]+/reschedule[^"]*)"')
    confirm_page = client.get(manage + "/reschedule?day=2026-12-09&lang=it").text
    confirm = client.get(link(confirm_page, r'class="time" href="([^"]+)"')).text
    assert "Spostare la prenotazione?" in confirm
    action = link(confirm, r'<form method="post" action="([^"]+)"')
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', confirm))
    moved = client.post(action, data={k: unescape(v) for k, v in fields.items()})
    assert moved.status_code == 303, moved.text
    assert last_booking().locale == "it"


def test_the_api_explains_refusals_in_the_callers_language_with_english_codes(client):
    body = {"service_type": "consultation", "scheduled_at": "2026-12-02T09:00:00", "client_name": "",
            "client_email": "mario@example.com", "timezone": "Europe/Rome"}
    italian = client.post("/api/v1/booking/bookings", json=body, headers=ITALIAN).json["error"]
    english = client.post("/api/v1/booking/bookings?lang=en", json=body, headers=ITALIAN).json["error"]
    assert italian["code"] == english["code"] == "validation_error"
    assert italian["message"] == "Correggi i campi evidenziati."
    assert italian["fields"]["client_name"] == "Questo campo è obbligatorio."
    assert english["fields"]["client_name"] == "This field is required."
    missing = client.get("/api/v1/booking/bookings/nothing-here", headers=ITALIAN)
    assert missing.status_code == 404 and missing.json["error"]["message"] == "Prenotazione inesistente."


def test_a_booking_through_the_api_stores_the_language_asked_for(client):
    body = {"service_type": "consultation", "scheduled_at": "2026-12-02T09:00:00", "client_name": "Mario",
            "client_email": "mario@example.com", "timezone": "Europe/Rome", "locale": "it"}
    assert client.post("/api/v1/booking/bookings", json=body).status_code == 201
    assert last_booking().locale == "it"
    refused = client.post("/api/v1/booking/bookings", json={**body, "locale": "fr"}).json["error"]
    assert refused["fields"]["locale"] == "Choose one of: en, it."


def test_pages_in_the_browsers_language_vary_on_it_and_a_chosen_one_does_not(client):
    assert "Accept-Language" in client.get(DAY, headers=ITALIAN).headers["Vary"]
    assert "Accept-Language" not in client.get(DAY + "&lang=it").headers.get("Vary", "")
    assert "Accept-Language" not in client.get("/zones.html").headers.get("Vary", "")
