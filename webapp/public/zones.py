"""The full time zone list on demand: a cached options fragment for scripts, a page without them.

Pages carry only the common zones (`zone_choices.zone_options`); the picker's script loads
`/zones.html` when the client searches, and the "All time zones" link opens a page with every
zone whose form goes back to the picker it came from, so a client without JavaScript can pick any.
"""
from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, abort, make_response, render_template, request

from webapp.clock import now
from webapp.public.zone_choices import all_zone_options

bp = Blueprint("zones", __name__)

#: a day: the offsets in the labels follow daylight saving, date by date
OPTIONS_MAX_AGE = 24 * 60 * 60


@bp.get("/zones.html")
def options():
    """Every zone's <option>, the same for everyone, cached by browsers and proxies for a day."""
    response = make_response(str(all_zone_options(request.args.get("tz", ""), now())))
    response.headers["Cache-Control"] = f"public, max-age={OPTIONS_MAX_AGE}"
    return response


def _local_url(value: str):
    """Return `value` split when it is a URL of this site (never another origin), else None."""
    if not value.startswith("/") or value.startswith(("//", "/\\")) or any(c in value for c in "\r\n\\"):
        return None
    return urlsplit(value)


@bp.get("/zones")
def page():
    """Every zone in a form that applies the choice on the picker it came from (no JS needed).

    `back` is the picker's URL: the form goes to its path with its parameters, the zone changed.
    """
    back = _local_url(request.args.get("back", ""))
    if back is None:
        abort(404)
    params = parse_qsl(back.query)
    chosen = next((value for name, value in params if name == "tz"), "")
    return render_template("zones/page.html", back=back.geturl(), action=back.path,
                           carried=[(name, value) for name, value in params if name != "tz"],
                           options=all_zone_options(chosen, now()))
