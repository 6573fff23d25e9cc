"""Request ids and logs without personal data: plain text by default, JSON lines with LOG_FORMAT=json.

Every request gets an id (the proxy's `X-Request-Id` when it is short and safe, else a new
one), echoed in the response. With `LOG_FORMAT=json` each log record is one JSON object
(time, level, logger, message, request_id, route, status, duration_ms) and every request
writes one such line. Messages never carry the raw path (it may hold a manage token; the
route template stands in for it), a query string, an email address or an exception's text
(database errors quote the values they were given): only the exception's type and frames.
"""
import json
import logging
import os
import re
import secrets
import sys
import traceback
from datetime import datetime, timezone
from time import perf_counter

from flask import Flask, Response, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID_HEADER = "X-Request-Id"
#: where WSGI puts that request header (read there: no header lookup per request)
REQUEST_ID_ENVIRON = "HTTP_" + REQUEST_ID_HEADER.upper().replace("-", "_")
#: what a proxy's request id may look like to be reused (anything else is replaced)
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: the name of the handler this module installs on the root logger (replaced, never doubled)
HANDLER_NAME = "booking-json"
EMAIL = re.compile(r"[^\s@<>\"'(),;:]+@[^\s@<>\"'(),;:]+\.[A-Za-z]{2,}")
QUERY_STRING = re.compile(r"\?[^\s\"']*")
#: long url-safe runs with a digit: tokens, uids, keys (identifiers in code have no such runs)
TOKEN = re.compile(r"(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{20,}")
REQUEST_LOGGER = logging.getLogger("webapp.requests")


def init_app(app: Flask) -> None:
    """Give every request an id; with LOG_FORMAT=json, write JSON lines and one per request."""
    app.config.setdefault("LOG_FORMAT", os.environ.get("LOG_FORMAT", "text").strip().lower())
    app.config.setdefault("LOG_LEVEL", os.environ.get("LOG_LEVEL", "INFO").strip().upper())
    app.before_request(_assign_request_id)
    app.after_request(_finish_request)
    if app.config["LOG_FORMAT"] == "json":
        install_json_handler(app.config["LOG_LEVEL"])
        app.logger.removeHandler(default_handler)  # the root's JSON handler writes its records
    app.logger.addFilter(PersonalDataFilter())


def request_id_from(header: str | None) -> str:
    """Return the proxy's request id when it is short and safe, else a fresh one."""
    if header and SAFE_REQUEST_ID.fullmatch(header):
        return header
    return secrets.token_hex(16)


def install_json_handler(level: str) -> None:
    """Make the root logger write JSON lines to standard error (once per process)."""
    root = logging.getLogger()
    # Replace an earlier JSON handler and a plain one from logging.basicConfig (worker.py calls
    # it first): the lines would be doubled, once as text. Test-capture handlers are subclasses.
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME
                    or type(h) is logging.StreamHandler]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(PersonalDataFilter())
    root.addHandler(handler)
    root.setLevel(level)
    # The app writes its own request line; werkzeug's would repeat it with the raw path.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    REQUEST_LOGGER.setLevel(logging.INFO)


def _assign_request_id() -> None:
    """Take or make the request's id and start its clock."""
    g.request_id = request_id_from(request.environ.get(REQUEST_ID_ENVIRON))
    g.log_started = perf_counter()


def _finish_request(response: Response) -> Response:
    """Echo the request id; in JSON mode, log the request's route, status and duration."""
    request_id = g.get("request_id") or request_id_from(None)
    response.headers[REQUEST_ID_HEADER] = request_id
    if _json_logging():
        duration = perf_counter() - g.get("log_started", perf_counter())
        REQUEST_LOGGER.info("%s %s", request.method, _route(), extra={
            "status": response.status_code, "duration_ms": round(duration * 1000, 1)})
    return response


def _json_logging() -> bool:
    """Return True when the JSON handler is installed."""
    return any(h.get_name() == HANDLER_NAME for h in logging.getLogger().handlers)


def _route() -> str:
    """Return the current request's route template (never its path)."""
    return request.url_rule.rule if request.url_rule is not None else "unmatched"


def scrub(text: str) -> str:
    """Remove what may be personal data or a secret from a log message."""
    if has_request_context() and len(request.path) > 1:
        text = text.replace(request.path, _route())  # Flask's "Exception on <path> [GET]"
    text = QUERY_STRING.sub("?[redacted]", text)
    text = EMAIL.sub("[email]", text)
    return TOKEN.sub("[redacted]", text)


class PersonalDataFilter(logging.Filter):
    """Rewrite a record's message without paths, query strings, emails or tokens."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the message by its scrubbed text (arguments already merged in)."""
        if not getattr(record, "scrubbed", False):
            record.msg, record.args, record.scrubbed = scrub(record.getMessage()), None, True
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record's fields as JSON; an exception as its type and frames only."""
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            entry.update(request_id=g.get("request_id"), route=_route())
        for field in ("status", "duration_ms"):
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            entry["stack"] = [f"{frame.filename}:{frame.lineno} in {frame.name}"
                              for frame in traceback.extract_tb(record.exc_info[2])]
        return json.dumps(entry, default=str)
