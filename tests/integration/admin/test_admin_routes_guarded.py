"""Every admin URL needs a login, and every admin POST needs a CSRF token."""
import re

import pytest

from tests.integration.admin.conftest import log_in

SAMPLE_VALUES = {"int": "1", "default": "consultation", "string": "consultation", "path": "x"}
OPEN = {"/admin/login"}


def admin_urls(app, method: str) -> list[str]:
    """Return each /admin URL rule that answers `method`, with sample values for its parts."""
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin") and method in rule.methods and rule.rule not in OPEN:
            urls.append(re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>",
                               lambda m: SAMPLE_VALUES.get(m.group(1) or "default", "x"), rule.rule))
    assert urls, f"no admin {method} routes found"
    return sorted(set(urls))


def test_every_admin_page_sends_an_anonymous_visitor_to_login(app, client):
    for url in admin_urls(app, "GET"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/admin/login?next="), url


def test_every_admin_post_without_csrf_token_is_refused(app, client, admin_user):
    assert log_in(client).status_code == 303
    for url in admin_urls(app, "POST"):
        response = client.post(url, data={"cancellation_reason": "x"})
        assert response.status_code == 400, url
        assert "did not come from this site" in response.get_data(as_text=True), url


def test_login_post_without_csrf_token_is_refused(client, admin_user):
    response = client.post("/admin/login", data={"email": "admin@studio.example",
                                                  "password": "correct horse battery"})
    assert response.status_code == 400


class TestAnonymousPostsWithoutCsrf:
    """With CSRF switched off, an anonymous POST still goes to the login page."""

    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": False}

    def test_every_admin_post_sends_an_anonymous_visitor_to_login(self, app, client):
        for url in admin_urls(app, "POST"):
            response = client.post(url)
            assert response.status_code == 302, url
            assert "/admin/login" in response.headers["Location"], url


def test_an_htmx_request_without_a_session_is_sent_to_login_as_a_whole_page(client):
    response = client.get("/admin/bookings?page=2", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/admin/login?next=")


def test_admin_pages_cannot_be_framed_or_cached(admin_client):
    response = admin_client.get("/admin/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_login_redirects_only_inside_the_admin(client, admin_user):
    from tests.conftest import csrf_from

    token = csrf_from(client.get("/admin/login").get_data(as_text=True))
    response = client.post("/admin/login", data={
        "csrf_token": token, "email": "admin@studio.example", "password": "correct horse battery",
        "next": "https://evil.example/admin"})
    assert response.headers["Location"] == "/admin/"


def test_logout_ends_the_session(admin_client):
    from tests.integration.admin.conftest import post_form

    assert post_form(admin_client, "/admin/logout", {}).status_code == 303
    assert admin_client.get("/admin/").status_code == 302
