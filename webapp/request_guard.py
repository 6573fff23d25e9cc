"""Refuse input no view can store or look up, before any view runs: NUL characters, ids past 64 bits.

PostgreSQL text cannot hold a NUL character and its integer columns end at 2**63 - 1; such
input reaching a query is a 500. Checking once here means no view needs to remember it.
"""
import json

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

#: the largest id a BIGINT (and SQLite's INTEGER) column holds
MAX_ID = 2**63 - 1
NUL = "\x00"
NUL_REFUSED = _l("The request contains a NUL character, which is not allowed.")


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that matches only numbers a 64-bit id column can hold; others are a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        """Take IntegerConverter's arguments, with `max` defaulting to MAX_ID."""
        super().__init__(map, fixed_digits, min, max, signed)


def _in_pairs(values) -> bool:
    """Tell whether a multi-dict (query or form) has a NUL in any name or value."""
    return any(NUL in key or NUL in value for key, value in values.items(multi=True))


def _in_json(value) -> bool:
    """Tell whether a parsed JSON document has a NUL in any string or object key (no recursion)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


#: how a NUL can appear in a JSON text: escaped in a string (JSON allows no other way), or raw
_JSON_NUL_SPELLINGS = (b"\\u0000", b"\x00")


def _json_body(this_request):
    """Return the parsed JSON body when it may hold a NUL; None when it cannot, when there is none
    or when it is malformed (the view says so).

    Most bodies spell no NUL at all, which a byte search tells without parsing them; one that
    does (or `\\u0000` written out in a string) is parsed to look.
    """
    if not this_request.is_json:
        return None
    body = this_request.get_data(cache=True)
    if not any(spelling in body for spelling in _JSON_NUL_SPELLINGS):
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def _query_may_hold_nul(environ: dict) -> bool:
    """Tell whether the raw query string could decode to a NUL (`%00`, or one sent raw); most cannot."""
    query = environ.get("QUERY_STRING", "")
    return "%00" in query or NUL in query


def refuse_nul() -> None:
    """Answer 400 when the path, the query, a form field or a JSON string carries a NUL."""
    this_request = request._get_current_object()  # looked up once: each use of the proxy looks again
    if (NUL in this_request.path or (_query_may_hold_nul(this_request.environ) and _in_pairs(this_request.args))
            or _body_holds_nul(this_request)):
        abort(400, description=str(NUL_REFUSED))


def _body_holds_nul(this_request) -> bool:
    """Tell whether a form field or a JSON string of the body carries a NUL (no body type: no body to read)."""
    if not this_request.environ.get("CONTENT_TYPE"):
        return False
    return ((this_request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
             and _in_pairs(this_request.form)) or _in_json(_json_body(this_request)))


def init_app(app: Flask) -> None:
    """Bound the `int` URL converter and check every request first (call before adding routes)."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(refuse_nul)
