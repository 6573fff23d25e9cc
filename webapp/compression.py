"""gzip for text responses, so `make run` and any proxy in front get small pages and JSON.

A proxy that compresses (deploy/) sees `Content-Encoding` and leaves the body alone.
"""
import gzip
from functools import lru_cache

from flask import Flask, Response, request

from webapp.vary import add_vary

#: bodies smaller than this gain less than the header costs
MIN_SIZE = 500
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml",
                "application/problem+json")
#: the fastest level: a 12 KB page in ~50 µs instead of ~110 µs at level 5, ~10% larger
LEVEL = 1
#: bodies whose compressed form is kept (a kept page is sent again and again: hashing it costs
#: a tenth of compressing it)
KEPT_BODIES = 64


def _accepts_gzip() -> bool:
    """Return whether the client accepts gzip (q=0 refuses it)."""
    return request.accept_encodings["gzip"] > 0


def _too_small(response: Response) -> bool:
    """Tell whether a body already in memory is too small to compress (the same bytes for every client)."""
    return not response.direct_passthrough and not response.is_streamed and len(response.get_data()) < MIN_SIZE


def compress(response: Response) -> Response:
    """gzip a text response when the client takes it and the body is worth it."""
    if (response.status_code != 200 or _too_small(response)  # before the header: a missing one raises inside
            or "Content-Encoding" in response.headers or not (response.mimetype or "").startswith(COMPRESSIBLE)
            or (response.is_streamed and not response.direct_passthrough)):  # a generator: leave it
        return response
    add_vary(response, "Accept-Encoding")
    if not _accepts_gzip():
        return response
    response.direct_passthrough = False  # static files: read the file to compress it
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(_gzipped(body))
    response.headers["Content-Encoding"] = "gzip"
    if response.get_etag()[0]:  # a compressed body is another representation
        response.set_etag(response.get_etag()[0] + "-gz", weak=True)
    return response


@lru_cache(maxsize=KEPT_BODIES)
def _gzipped(body: bytes) -> bytes:
    """Return `body` gzipped (no timestamp: the same bytes give the same answer, so it is kept)."""
    return gzip.compress(body, compresslevel=LEVEL, mtime=0)


def init_app(app: Flask) -> None:
    """Compress eligible responses last, after every other hook has shaped them."""
    app.after_request(compress)
