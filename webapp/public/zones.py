"""The full time zone list on demand: a cached options fragment for scripts, a page without them.

Pages carry only the common zones (`zone_choices.zone_options`); the picker's script loads
`/zones.html` when the client searches, and the "All time zones" link opens a page with every
zone whose form goes back to the picker it came from, so a client without JavaScript can pick any.
"""
from flask import Blueprint, abort, make_response, render_template, request

from webapp.clock import now
from webapp.public.zone_choices import all_zone_options

bp = Blueprint("zones", __name__)

#: a day: the offsets in the labels follow daylight saving, date by date
OPTIONS_MAX_AGE = 24 * 60 * 60
#: the picker's own parameters the page carries back (the zone is the one it asks for)
CARRIED = ("month", "day", "duration", "host")


@bp.get("/zones.html")
def options():
    """Every zone's <option>, the same for everyone, cached by browsers and proxies for a day."""
    response = make_response(str(all_zone_options(request.args.get("tz", ""), now())))
    response.headers["Cache-Control"] = f"public, max-age={OPTIONS_MAX_AGE}"
    return response


def _local_path(value: str) -> str | None:
    """Return `value` when it is a path on this site (never another origin), else None."""
    if not value.startswith("/") or value.startswith(("//", "/\\")) or any(c in value for c in "\r\n\\"):
        return None
    return value


@bp.get("/zones")
def page():
    """Every zone in a form that applies the choice on the picker it came from (no JS needed)."""
    back = _local_path(request.args.get("back", ""))
    if back is None:
        abort(404)
    carried = {name: request.args[name] for name in CARRIED if request.args.get(name)}
    return render_template("zones/page.html", back=back, carried=carried,
                           options=all_zone_options(request.args.get("tz", ""), now()))
