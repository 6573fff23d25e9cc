"""The JSON-over-HTTP client every provider shares, and the mapping of failures to errors."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import requests

from webapp.meetings.base import ProviderAuthError, ProviderError

#: (connect, read) seconds; a provider that hangs must not hold a worker
DEFAULT_TIMEOUT = (5.0, 20.0)

#: Google reports quota exhaustion as 403 with one of these reasons
_RATE_LIMIT_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"}
#: OAuth error codes meaning the grant is gone and only reconnecting helps
_DEAD_GRANT_ERRORS = {"invalid_grant", "invalid_token"}


def path_segment(value: str) -> str:
    """Quote an id for use as one URL path segment (Graph ids contain '/' and '=')."""
    return quote(str(value), safe="")


class ApiClient:
    """Calls one provider API under a base URL with an Authorization header."""

    def __init__(
        self,
        base_url: str,
        authorization: Callable[[], str],
        *,
        name: str,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.authorization = authorization
        self.name = name
        self.timeout = timeout
        self.session = session or requests.Session()

    def call(
        self,
        method: str,
        path: str,
        *,
        json: Mapping | None = None,
        params: Mapping | None = None,
        missing_ok: bool = False,
    ) -> dict | None:
        """Send one request; return the JSON body (None when empty, or missing and `missing_ok`)."""
        headers = {"Authorization": self.authorization(), "Accept": "application/json"}
        try:
            resp = self.session.request(
                method,
                self.base_url + path,
                json=json,
                params=params,
                headers=headers,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise ProviderError(f"{self.name}: {type(exc).__name__}: {exc}", retryable=True) from exc
        if missing_ok and resp.status_code in (404, 410):
            return None
        if resp.status_code >= 400:
            raise error_from_response(resp, self.name)
        if not resp.content:
            return None
        try:
            return resp.json()
        except ValueError as exc:
            raise ProviderError(f"{self.name}: answer is not JSON", retryable=True) from exc


def error_from_response(resp: requests.Response, name: str) -> ProviderError:
    """Map a failed HTTP answer to ProviderAuthError, a retryable or a final ProviderError."""
    status = resp.status_code
    body = _json_or_none(resp)
    message = f"{name}: HTTP {status}: {_describe(body) or resp.reason or ''}".rstrip(": ")
    oauth_error = body.get("error") if isinstance(body, dict) else None  # a str in OAuth
    if status == 401 or isinstance(oauth_error, str) and oauth_error in _DEAD_GRANT_ERRORS:
        return ProviderAuthError(message, status=status)
    if status == 429 or status >= 500 or _reasons(body) & _RATE_LIMIT_REASONS:
        return ProviderError(
            message, retryable=True, status=status, retry_after=_retry_after(resp)
        )
    return ProviderError(message, retryable=False, status=status)


def _json_or_none(resp: requests.Response):
    try:
        return resp.json()
    except ValueError:
        return None


def _describe(body) -> str:
    """Pull a human message out of the error shapes Google, Graph, Zoom and OAuth use."""
    if not isinstance(body, dict):
        return ""
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error.get("code") or "")
    parts = [body.get("message"), error, body.get("error_description"), body.get("reason")]
    return " ".join(str(p) for p in parts if p)


def _reasons(body) -> set[str]:
    if not isinstance(body, dict) or not isinstance(body.get("error"), dict):
        return set()
    return {e.get("reason") for e in body["error"].get("errors") or () if isinstance(e, dict)}


def _retry_after(resp: requests.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def bearer(token: Callable[[], str]) -> Callable[[], str]:
    """Build the Authorization header value from a token getter, asked afresh per call."""
    return lambda: f"Bearer {token()}"
