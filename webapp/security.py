"""Security headers: no framing by default, a strict content security policy (images also over https: the logo)."""
from flask import Response

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}")


def apply_security_headers(response: Response) -> Response:
    """Add the default security headers unless a view chose its own framing policy."""
    response.headers.setdefault("Content-Security-Policy", CSP.format(ancestors="'none'"))
    if "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]:
        response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
