"""Settings are read once per web request, and a save within the request is seen at once."""
from tests.sql import recorded_statements
from webapp.models import Setting
from webapp.services.settings import get_settings, save_settings


def settings_queries(statements: list[str]) -> int:
    """Count the statements that read the settings table."""
    return sum(1 for sql in statements if f"FROM {Setting.__tablename__}" in sql)


def test_a_calendar_page_reads_the_settings_once(app, client):
    with recorded_statements() as statements:
        assert client.get("/book/consultation?tz=Europe/Rome&day=2026-12-02").status_code == 200
    assert settings_queries(statements) == 1


def test_a_save_during_a_request_is_seen_by_the_rest_of_it(app):
    with app.test_request_context("/"):
        assert get_settings().business_name == "StudiocentOS"
        save_settings(business_name="Studio Uno")
        assert get_settings().business_name == "Studio Uno"


def test_outside_a_request_every_read_sees_the_database(app):
    get_settings()
    save_settings(business_name="Studio Due")
    assert get_settings().business_name == "Studio Due"
