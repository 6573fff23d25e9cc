"""JSON logs: one object per line, a request id, the route template and no personal data."""
import io
import json
import logging
from urllib.parse import urlsplit

import pytest

from tests.ops.conftest import API, BOOKING, NOW
from webapp import logs
from webapp.manage import routes as manage_routes


@pytest.fixture
def app_config():
    """JSON logs; errors answered as a 500 page (and logged), not raised into the test."""
    return {"CLOCK": lambda: NOW, "LOG_FORMAT": "json", "PROPAGATE_EXCEPTIONS": False}


@pytest.fixture(autouse=True)
def root_level():
    """Give the root logger its level back after the test (the JSON set-up changes it)."""
    level = logging.getLogger().level
    yield
    logging.getLogger().setLevel(level)


@pytest.fixture
def log_lines(app):
    """The JSON handler's output, as a function returning the lines written so far."""
    root = logging.getLogger()
    handler = next(h for h in root.handlers if h.get_name() == logs.HANDLER_NAME)
    stream = io.StringIO()
    handler.setStream(stream)
    yield lambda: stream.getvalue().splitlines()
    root.removeHandler(handler)
    logging.getLogger("werkzeug").setLevel(logging.NOTSET)


def test_every_line_is_a_json_object_with_the_request_fields(client, log_lines):
    response = client.get(f"{API}/health", headers={"X-Request-Id": "proxy-req.42"})
    assert response.headers["X-Request-Id"] == "proxy-req.42"
    entries = [json.loads(line) for line in log_lines()]
    request_line = next(e for e in entries if e["logger"] == "webapp.requests")
    assert request_line["request_id"] == "proxy-req.42" and request_line["route"] == f"{API}/health"
    assert request_line["status"] == 200 and request_line["duration_ms"] >= 0
    assert request_line["level"] == "INFO" and request_line["message"] == f"GET {API}/health"
    assert {"time", "level", "logger", "message"} <= set(request_line)


@pytest.mark.parametrize("given", ["two words", "x" * 65, "<script>", "a;b", ""])
def test_an_unsafe_request_id_is_replaced(client, given):
    returned = client.get(f"{API}/health", headers={"X-Request-Id": given}).headers["X-Request-Id"]
    assert returned != given and logs.SAFE_REQUEST_ID.fullmatch(returned)


def test_a_request_without_an_id_gets_a_fresh_one(client):
    first = client.get(f"{API}/health").headers["X-Request-Id"]
    assert first and first != client.get(f"{API}/health").headers["X-Request-Id"]


def test_logs_hold_no_email_name_token_or_query(client, log_lines, monkeypatch):
    booked = client.post(f"{API}/bookings", json=BOOKING)
    assert booked.status_code == 201
    token = urlsplit(booked.json["manage_url"]).path.rsplit("/", 1)[1]
    secrets = (BOOKING["client_email"], BOOKING["client_name"], token, booked.json["uid"], "utm_source")

    def broken(booking):
        """Fail the way a bug might, with personal data in the exception's text."""
        raise RuntimeError(f"no calendar for {booking.client_name} <{booking.client_email}> {token}")

    monkeypatch.setattr(manage_routes, "add_to_calendar_links", broken)
    failed = client.get(f"/manage/{token}?utm_source=newsletter", headers={"X-Request-Id": "req-500"})
    assert failed.status_code == 500
    logging.getLogger("webapp.outbox").warning("could not reach %s", BOOKING["client_email"])
    lines = log_lines()
    entries = [json.loads(line) for line in lines]
    error = next(e for e in entries if e["level"] == "ERROR")
    assert error["request_id"] == "req-500" and error["route"] == "/manage/<token>"
    assert error["message"] == "Exception on /manage/<token> [GET]"
    assert error["exception"] == "RuntimeError" and error["stack"]
    assert any(e["message"] == "could not reach [email]" for e in entries)
    assert any(e.get("status") == 201 and e["route"] == f"{API}/bookings" for e in entries)
    for secret in secrets:
        assert all(secret not in line for line in lines), secret


def test_json_mode_replaces_a_plain_root_handler(tmp_path, root_level):
    from tests.conftest import base_config
    from webapp import create_app

    plain = logging.StreamHandler(io.StringIO())
    logging.getLogger().addHandler(plain)  # what logging.basicConfig (worker.py) installs
    try:
        create_app({**base_config(tmp_path, f"sqlite:///{tmp_path / 'b.db'}"), "LOG_FORMAT": "json"})
        handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)
                    and type(h).__module__ == "logging"]
        assert [h.get_name() for h in handlers] == [logs.HANDLER_NAME]
    finally:
        for handler in list(logging.getLogger().handlers):
            if handler is plain or handler.get_name() == logs.HANDLER_NAME:
                logging.getLogger().removeHandler(handler)
        logging.getLogger("werkzeug").setLevel(logging.NOTSET)


def test_text_logs_are_the_default(tmp_path):
    from tests.conftest import base_config
    from webapp import create_app

    create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'b.db'}"))
    assert all(h.get_name() != logs.HANDLER_NAME for h in logging.getLogger().handlers)


def test_scrub_removes_emails_queries_and_tokens():
    line = logs.scrub("mail to a.b+c@example.co.uk failed for /x?email=q@w.it token Zt3kL0pQ9xW2vB7nM4cR8sYa")
    assert line == "mail to [email] failed for /x?[redacted] token [redacted]"
    assert logs.scrub("booking_write_transaction took 12 ms") == "booking_write_transaction took 12 ms"
