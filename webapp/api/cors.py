"""CORS for the API: browsers on the configured origins may call it with `fetch`."""
from flask import Response, current_app, request

from webapp.vary import add_vary

ALLOWED_HEADERS = "Content-Type, Authorization, Idempotency-Key"
ALLOWED_METHODS = "GET, POST, OPTIONS"
EXPOSED_HEADERS = "Location, Retry-After"


def apply_cors(response: Response) -> Response:
    """Allow the request's Origin when it is listed in API_CORS_ORIGINS (or "*" is)."""
    add_vary(response, "Origin")
    origin = request.environ.get("HTTP_ORIGIN")
    allowed = current_app.config.get("API_CORS_ORIGINS") or []
    if not origin or (origin not in allowed and "*" not in allowed):
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "600"
    return response
