"""Who may frame the widget and which requests may post to it."""
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Request, current_app

from webapp.security import CSP
from webapp.services.settings import get_settings

ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$|^https?://\[[0-9A-Fa-f:]+\](:\d{1,5})?$")
LOOK = re.compile(r"^(default|[0-9a-f]{6})(-noheader)?$")


@dataclass(frozen=True)
class Look:
    """How the partner wants the widget drawn: accent colour and header."""

    color: str | None
    hide_header: bool


def parse_look(value: str) -> Look | None:
    """Read a look path segment such as `default`, `2457c5` or `2457c5-noheader`."""
    match = LOOK.match(value)
    if not match:
        return None
    color = None if match.group(1) == "default" else match.group(1)
    return Look(color=color, hide_header=bool(match.group(2)))


def allowed_origins() -> list[str]:
    """Return the partner origins an admin allows to frame the widget (empty = widget off)."""
    # Only well-formed origins reach a header: a typo must not widen or break the policy.
    return [o.rstrip("/") for o in get_settings().embed_allowed_origins if ORIGIN.match(o.rstrip("/"))]


def frame_csp(origins: list[str]) -> str:
    """Return the site's CSP with framing allowed for `origins` only."""
    return CSP.format(ancestors=" ".join(origins))


def _origin_of(url: str) -> str:
    """Return scheme://host[:port] of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def own_origins(request: Request) -> set[str]:
    """Return the origins this site answers on: BASE_URL's and the request's own."""
    return {_origin_of(current_app.config["BASE_URL"]), _origin_of(request.host_url)}


def post_is_same_origin(request: Request) -> bool:
    """Tell whether a form post came from our own pages (Origin, else Sec-Fetch-Site)."""
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin.lower() in own_origins(request)
    return request.headers.get("Sec-Fetch-Site") == "same-origin"
