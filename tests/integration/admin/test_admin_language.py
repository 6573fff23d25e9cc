"""Each admin reads the admin pages in their own language, whatever the browser asks for."""
import re
from datetime import date, time
from html.parser import HTMLParser

import pytest

from tests.conftest import csrf_from
from tests.factories import create_block, store_booking
from tests.integration.admin.conftest import ADMIN_EMAIL, log_in, post_form, reloaded
from webapp.extensions import db
from webapp.models import AdminUser, Host
from webapp.services.admin_accounts import create_admin
from webapp.services.settings import save_settings

ENGLISH_BROWSER = {"Accept-Language": "en-US,en;q=0.9"}
#: every admin page a signed-in admin opens from the navigation (plus one booking and a rule; the move page
#: draws the public picker, whose words are the booking pages')
PAGES = ["/admin/", "/admin/bookings", "/admin/availability", "/admin/blocked-dates", "/admin/hosts",
         "/admin/service-types", "/admin/service-types/consultation", "/admin/settings", "/admin/outbox",
         "/admin/outbox?status=sent", "/admin/outbox?status=failed", "/admin/webhooks",
         "/admin/calendar-sources", "/admin/privacy", "/admin/audit", "/admin/calendar",
         "/admin/calendar/month?month=2030-01", "/admin/calendar/day?day=2030-01-07", "/admin/bookings/1",
         "/admin/availability/rules/1", "/admin/integrations"]
#: words of the English admin pages; none may be left on an Italian one (data and product names aside).
#: Weekday and month names are checked on the calendar pages (test_italian_flash_messages_and_calendar_names):
#: elsewhere dates come from the shared `datetime_in` filters, which follow the page language on their own.
ENGLISH_WORDS = {"the", "and", "with", "your", "bookings", "booking", "settings", "save", "add", "delete",
                 "cancel", "confirm", "reschedule", "blocked", "hosts", "waiting", "sent", "failed", "next",
                 "previous", "week", "month", "today", "when", "created", "deleted", "changed", "rule",
                 "client", "status", "service", "minutes", "none", "never", "active", "inactive", "reason",
                 "filter", "search", "login", "log", "out", "dashboard", "calendar", "availability",
                 "outbox", "times", "day", "days", "from", "to", "yes", "edit", "show"}
#: what a page holds that is not interface text: the seeded data, addresses, codes
DATA = re.compile(r'"[^"]*"|\bbooking\.\w+|\bclient id\b|\S+@\S+|https?://\S+|/\S+|[\w.-]+\.(?:ics|png|example)\b|'
                  r"\b(?:consultation|follow-up|discovery|call|ada|lovelace|mario|rossi|jitsi|zoom|google|meet|"
                  r"microsoft|teams|whereby|caldav|webhook-signature|json|csv|iana|utc|europe|rome|london|id|uid|"
                  r"api|key|whereby_api_key|message-id|http|https|default)\b", re.IGNORECASE)


class _VisibleText(HTMLParser):
    """Collect what a reader sees: text outside <script>/<style>, plus labels read aloud."""

    def __init__(self):
        super().__init__()
        self.chunks, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "datalist", "select", "textarea"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("aria-label", "placeholder", "title") and value:
                self.chunks.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "datalist", "select", "textarea"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.chunks.append(data)


def _english_left(html: str) -> set[str]:
    """Return the English interface words a page still shows."""
    parser = _VisibleText()
    parser.feed(html)
    text = DATA.sub(" ", " ".join(parser.chunks))
    return set(re.findall(r"[^\W\d_]+", text.lower())) & ENGLISH_WORDS


def _choose_language(client, code: str, page: str = "/admin/"):
    """Press a language button in the admin header, as the admin does on `page`."""
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post("/admin/language", data={"csrf_token": token, "language": code, "next": page})


def test_an_admin_switches_to_italian_and_stays_there_whatever_the_browser_asks(admin_client):
    english = admin_client.get("/admin/", headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert '<html lang="en">' in english and "Dashboard" in english and 'aria-pressed="true">English' in english

    answer = _choose_language(admin_client, "it", "/admin/bookings?status=pending")

    assert answer.status_code == 303 and answer.headers["Location"] == "/admin/bookings?status=pending"
    page = admin_client.get("/admin/", headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert '<html lang="it">' in page and "Pannello" in page and "Prenotazioni per stato" in page
    assert "Dashboard" not in page and 'aria-pressed="true">Italiano' in page
    assert db.session.scalar(db.select(AdminUser.language).where(AdminUser.email == ADMIN_EMAIL)) == "it"


def test_another_admin_keeps_english_while_one_reads_italian(app, client, admin_user):
    create_admin("staff@studio.example", "another long password", language="en")
    admin_user.language = "it"
    db.session.commit()

    assert log_in(client).status_code == 303
    assert "Pannello" in client.get("/admin/", headers=ENGLISH_BROWSER).get_data(as_text=True)
    client.post("/admin/logout", data={"csrf_token": csrf_from(client.get("/admin/").get_data(as_text=True))})
    assert log_in(client, "staff@studio.example", "another long password").status_code == 303
    page = client.get("/admin/", headers={"Accept-Language": "it-IT"}).get_data(as_text=True)
    assert "Dashboard" in page and "Pannello" not in page


def test_an_admin_without_a_choice_reads_the_business_language(admin_client):
    save_settings(default_language="it")

    page = admin_client.get("/admin/settings", headers=ENGLISH_BROWSER).get_data(as_text=True)

    assert '<html lang="it">' in page and "Salva le impostazioni" in page and "Nome dell'attività</label>" in page


def test_the_login_page_takes_the_business_language_or_an_explicit_choice(client):
    save_settings(default_language="it")

    assert "Accesso amministrazione" in client.get("/admin/login", headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert "Admin login" in client.get("/admin/login?lang=en", headers={"Accept-Language": "it"}).get_data(as_text=True)


def test_the_login_page_speaks_the_business_language(client, admin_user):
    save_settings(default_language="it")

    asked = client.get("/admin/", follow_redirects=True, headers=ENGLISH_BROWSER).get_data(as_text=True)
    refused = log_in(client, password="not the password")

    assert "Accedi per vedere quella pagina." in asked
    assert refused.status_code == 401 and "Email e password non hanno funzionato" in refused.get_data(as_text=True)


def test_an_unknown_language_changes_nothing_and_says_why(admin_client, admin_user):
    answer = _choose_language(admin_client, "fr")

    assert answer.status_code == 303
    assert "Choose one of the listed languages." in admin_client.get(answer.headers["Location"]).get_data(as_text=True)
    assert reloaded(AdminUser, admin_user.id).language is None


def test_italian_forms_refuse_in_italian(admin_client):
    _choose_language(admin_client, "it")

    answer = post_form(admin_client, "/admin/availability/rules", {
        "service_type": "consultation", "day_of_week": "0", "start_time": "", "end_time": "25:99",
        "slot_duration": "abc"}, page="/admin/availability")

    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Correggi i campi evidenziati." in page and "Questo campo è obbligatorio." in page
    assert "Usa un orario come 09:30." in page and "Deve essere un numero intero." in page
    assert "This field is required." not in page


def test_italian_flash_messages_and_calendar_names(admin_client):
    store_booking(status="confirmed")
    _choose_language(admin_client, "it")

    saved = post_form(admin_client, "/admin/bookings/1/notes", {"internal_notes": "Richiama"},
                      page="/admin/bookings/1", follow_redirects=True).get_data(as_text=True)
    month = admin_client.get("/admin/calendar/month?month=2030-03").get_data(as_text=True)
    week = admin_client.get("/admin/calendar?week=2030-01-07").get_data(as_text=True)

    assert "Note salvate." in saved
    assert "marzo 2030" in month and ">lun<" in month and ">dom<" in month and "Mon" not in month
    assert "Settimana del 7 gennaio 2030" in week and "lun 7 gen" in week


def test_a_host_login_chooses_its_own_language(app, client):
    host_admin, _ = create_admin("host@studio.example", "a host's long password", role="host")
    host = db.session.scalar(db.select(Host).where(Host.is_default))
    host.admin_user_id = host_admin.id
    db.session.commit()
    assert log_in(client, "host@studio.example", "a host's long password").status_code == 303

    answer = _choose_language(client, "it", "/admin/calendar")

    assert answer.status_code == 303
    assert "Calendario" in client.get("/admin/calendar").get_data(as_text=True)


def test_create_admin_takes_a_language(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "owner@studio.example", "--password-stdin",
                                                "--language", "it"], input="a long enough password\n")

    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(AdminUser.language).where(AdminUser.email == "owner@studio.example")) == "it"
    refused = app.test_cli_runner().invoke(args=["create-admin", "x@studio.example", "--password-stdin",
                                                 "--language", "fr"], input="a long enough password\n")
    assert refused.exit_code != 0


@pytest.mark.parametrize("url", PAGES)
def test_every_admin_page_in_italian_has_no_english_left(admin_client, url):
    store_booking(status="confirmed")
    create_block(blocked_date=date(2030, 1, 8), reason="Ferie")
    create_block(blocked_date=date(2030, 1, 9), start_time=time(13), end_time=time(15), reason="Dentista")
    _choose_language(admin_client, "it")

    response = admin_client.get(url, headers=ENGLISH_BROWSER)

    assert response.status_code == 200
    assert sorted(_english_left(response.get_data(as_text=True))) == []


def test_a_refusal_by_the_service_reads_in_italian(admin_client):
    _choose_language(admin_client, "it")

    answer = post_form(admin_client, "/admin/availability/rules", {
        "service_type": "consultation", "day_of_week": "0", "start_time": "16:30", "end_time": "18:00",
        "slot_duration": "30", "is_active": "y"}, page="/admin/availability")

    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Si sovrappone a un&#39;altra regola dello stesso tipo in quel giorno." in page
    assert "overlaps" not in page


def test_the_notice_language_is_the_recipients_accounts_when_they_agree(app):
    from webapp.services.admin_accounts import notice_language

    owner, _ = create_admin("owner@studio.example", "a long enough password", language="it")
    host_login, _ = create_admin("anna.login@studio.example", "a long enough password", role="host")
    host = db.session.scalar(db.select(Host).where(Host.is_default))
    host.email, host.admin_user_id = "anna@studio.example", host_login.id
    db.session.commit()

    assert notice_language(["OWNER@studio.example", "nobody@studio.example"]) == "it"
    assert notice_language(["anna@studio.example"]) is None  # her login chose nothing: the business's
    host_login.language = "it"
    db.session.commit()
    assert notice_language(["owner@studio.example", "anna@studio.example"]) == "it"
    owner.language = "en"
    db.session.commit()
    assert notice_language(["owner@studio.example", "anna@studio.example"]) is None  # they differ
