"""Error pages speak the visitor's language, with the same words for every unknown address."""
from html import unescape

import pytest

from tests.conftest import csrf_from

ITALIAN = {"Accept-Language": "it-IT"}


@pytest.fixture
def app_config():
    """Small limits, and a crash answered as a page (not raised into the test)."""
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://", "MANAGE_LOOKUP_RATE_LIMIT": "2/minute",
            "PROPAGATE_EXCEPTIONS": False, "EMBED_ALLOWED_ORIGINS": ["https://partner.example"]}


def test_too_many_requests_is_explained_in_italian(client):
    answers = [client.get(f"/manage/{'x' * 43}{n}", headers=ITALIAN) for n in range(3)]
    assert [answer.status_code for answer in answers] == [404, 404, 429]
    assert "Troppe richieste" in answers[2].text and "per 1 minute" not in answers[2].text


def test_a_crash_is_a_500_page_in_italian(app, client):
    def crash():
        raise RuntimeError("boom")
    app.add_url_rule("/crash-for-test", "crash_for_test", crash)
    answer = client.get("/crash-for-test", headers=ITALIAN)
    assert answer.status_code == 500 and "Qualcosa è andato storto" in answer.text and "boom" not in answer.text


def test_a_forged_widget_post_is_refused_in_the_widgets_language(client):
    answer = client.post("/embed/default/book/consultation/details?lang=it", data={"start": "x"},
                         headers={"Origin": "https://elsewhere.example"})
    assert answer.status_code in (400, 403) and '<html lang="it"' in answer.text
    assert "Non consentito" in answer.text or "non è valido" in answer.text


def test_a_bad_picker_address_is_a_400_in_italian(client):
    answer = client.get("/book/consultation?tz=Europe/Rome&month=2026-99", headers=ITALIAN)
    assert answer.status_code == 400 and "La data nell'indirizzo non è valida." in unescape(answer.text)


def test_a_missing_csrf_token_is_explained_in_italian(client):
    page = client.get("/manage/lost", headers=ITALIAN).text
    assert csrf_from(page)
    answer = client.post("/manage/lost", data={"email": "mario@example.com"}, headers=ITALIAN)
    assert answer.status_code == 400 and "Richiesta non comprensibile" in answer.text
    assert "Ricarica la pagina" in answer.text and "CSRF" not in answer.text
