"""JSON errors for the API: {"error": {"code", "message", "fields"}}, never an HTML page.

Codes and keys stay English; messages are in the caller's language (Accept-Language or `lang`).
"""
from flask import jsonify
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from webapp.services.errors import (
    NotAllowed,
    NotFound,
    ServiceError,
    SlotTaken,
    SlotUnavailable,
    ValidationFailed,
)
from webapp.services.idempotency import KeyInUse

API_PREFIX = "/api/"
STATUS = {ValidationFailed: 422, SlotTaken: 409, SlotUnavailable: 409, NotAllowed: 409,
          KeyInUse: 409, NotFound: 404}
#: headers of werkzeug's own error response that a JSON error must keep (Allow, Retry-After ...)
_DROPPED_HEADERS = {"content-type", "content-length"}


def error_response(status: int, code: str, message: str, fields: dict | None = None,
                   headers: dict | None = None):
    """Return the API's error body with `status`."""
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return jsonify(body), status, headers or {}


def service_error(exc: ServiceError):
    """Answer a refused service call with its status, code, message and fields."""
    return error_response(STATUS.get(type(exc), 422), exc.code, exc.message, exc.fields)


def http_error(exc: HTTPException):
    """Answer an HTTP error (400, 404, 405, 413, 415, 429 ...) as JSON."""
    code = (exc.name or "error").lower().replace(" ", "_").replace("'", "")
    message = exc.description if exc.code != 404 else _("Not found.")
    kept = {k: v for k, v in exc.get_headers() if k.lower() not in _DROPPED_HEADERS}
    return error_response(exc.code or 500, code, message, headers=kept)
