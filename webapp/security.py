"""Security headers: no framing by default, a strict CSP (images also over https: the logo), HSTS, Retry-After."""
import math
import time

from flask import Response, current_app, request

from webapp.extensions import limiter

#: one year: browsers then refuse plain HTTP to this host for that long
HSTS = "max-age=31536000"
#: the wait a 429 suggests when no limit says how long (e.g. a 429 raised by a view)
DEFAULT_RETRY_AFTER_SECONDS = 60
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}")


#: the headers every response gets unless its view set its own
DEFAULT_HEADERS = (("Content-Security-Policy", CSP.format(ancestors="'none'")),
                   ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"))


def apply_security_headers(response: Response) -> Response:
    """Add the default security headers unless a view chose its own framing policy."""
    headers = response.headers
    present = {name.lower() for name, _value in headers}  # one pass: `in headers` raises per miss
    for name, value in DEFAULT_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)
    if "x-frame-options" not in present and "frame-ancestors 'none'" in headers["Content-Security-Policy"]:
        headers.add("X-Frame-Options", "DENY")
    if request.is_secure or current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    if response.status_code == 429 and "retry-after" not in present:
        headers["Retry-After"] = str(retry_after_seconds())
    return response


def retry_after_seconds() -> int:
    """Return how many seconds until the limit this request broke lets it through again."""
    breached = limiter.current_limit if limiter.enabled else None
    if breached is None:
        return DEFAULT_RETRY_AFTER_SECONDS
    return max(1, math.ceil(breached.reset_at - time.time()))
