"""Static files with content hashes: `?v=<hash>` on every static URL, cached for a year when versioned.

The hash of each file is computed once per process, so a deploy that changes a file changes its
URL and browsers fetch it again; an unchanged file stays cached (`immutable`, no revalidation).
"""
import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, request, url_for

#: a year: the longest lifetime caches honour
VERSIONED_MAX_AGE = 365 * 24 * 60 * 60


@lru_cache(maxsize=256)
def _file_hash(folder: str, filename: str) -> str | None:
    """Return the first 12 hex digits of a static file's SHA-256 (None if it does not exist)."""
    path = (Path(folder) / filename).resolve()
    if not path.is_relative_to(Path(folder).resolve()) or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _add_version(endpoint: str, values: dict) -> None:
    """Give `url_for("static", filename=...)` the file's content hash as `v`."""
    if endpoint == "static" and "v" not in values and values.get("filename"):
        version = _file_hash(current_app.static_folder, values["filename"])
        if version is not None:
            values["v"] = version


def static_url(filename: str) -> str:
    """Return a static file's URL with its content hash (what every `url_for("static")` gives)."""
    return url_for("static", filename=filename)


def _cache_versioned(response: Response) -> Response:
    """Let browsers keep a versioned static file for a year without asking again."""
    if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
        response.cache_control.public = True
        response.cache_control.max_age = VERSIONED_MAX_AGE
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    return response


def init_app(app: Flask) -> None:
    """Version static URLs, cache versioned static responses, offer `static_url` to templates."""
    app.url_defaults(_add_version)
    app.after_request(_cache_versioned)
    app.add_template_global(static_url, "static_url")
