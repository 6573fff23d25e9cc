"""The admin blueprint, its login guard and the helpers its views share."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.booking_flow.flow import attach_errors
from webapp.extensions import db, login_manager
from webapp.htmx import render_page_or_fragment, wants_fragment
from webapp.models import Host
from webapp.services import availability_admin, booking_queries
from webapp.services.errors import NotFound, ServiceError, ValidationFailed
from webapp.services.hosts import all_hosts
from webapp.services.settings import get_settings
from webapp.vary import add_vary

bp = Blueprint("admin", __name__, url_prefix="/admin")

#: the summary above a form whose fields were refused (the public forms say the same)
INVALID = _l("Please correct the highlighted fields.")
#: no list has this many pages; a larger number would only overflow the database's offset
MAX_PAGE = 100_000
#: the only admin endpoints an anonymous visitor may reach
OPEN_ENDPOINTS = {"admin.login"}
#: the admin endpoints a host login (role "host") may reach: their own bookings, calendar,
#: weekly hours and blocked dates; every other admin page answers them 403
HOST_ENDPOINTS = {
    "admin.dashboard", "admin.logout", "admin.sign_out_everywhere",
    "admin.bookings", "admin.bookings_csv", "admin.booking", "admin.confirm", "admin.cancel",
    "admin.complete", "admin.no_show", "admin.notes", "admin.follow_up", "admin.resend",
    "admin.reschedule", "admin.reschedule_confirm", "admin.reschedule_save",
    "admin.calendar_week", "admin.calendar_month", "admin.calendar_day",
    "admin.availability", "admin.rule_add", "admin.rule_edit", "admin.rule_save", "admin.rule_delete",
    "admin.blocked_dates", "admin.block_add", "admin.block_delete",
}


@bp.before_request
def require_login():
    """Send anyone not logged in to the login page (every admin URL but the login itself)."""
    if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
        return _keep_hosts_to_their_own()
    if wants_fragment():  # a fragment request cannot follow a redirect to a whole page: ask htmx to go
        response = current_app.make_response(("", 401))
        response.headers["HX-Redirect"] = url_for("admin.login_form", next=request.full_path)
        return response
    return login_manager.unauthorized()


def own_host() -> Host | None:
    """Return the host a host login is limited to (None for an admin, who sees every host).

    A host login whose account no host links to is refused by the guard before any view.
    """
    if "own_host" not in g:
        g.own_host = None
        if current_user.is_authenticated and current_user.is_host_only:
            g.own_host = db.session.scalar(db.select(Host).where(Host.admin_user_id == current_user.id))
    return g.own_host


def hosts_offered() -> list[Host]:
    """Return the hosts this login may pick in a form or a filter (a host login: only their own)."""
    host = own_host()
    return [host] if host is not None else all_hosts()


def shown_host() -> Host | None:
    """Return whose calendar a page shows: a host login's own, else `?host=<slug>` (None: everyone's).

    An unknown slug answers 404, so a mistyped filter never silently shows every host.
    """
    host = own_host()
    if host is not None:
        return host
    slug = request.args.get("host")
    if not slug:
        return None
    return next((h for h in all_hosts() if h.slug == slug), None) or abort(404)


def refuse_host_logins() -> None:
    """Answer 403 to a host login (for pages only admins use; other blueprints call it too)."""
    if current_user.is_authenticated and current_user.is_host_only:
        abort(403)


def _keep_hosts_to_their_own():
    """The one guard of host logins: only HOST_ENDPOINTS, and only rows of their own host (404).

    Every view that takes a booking, rule or blocked-date id is checked here, before it runs,
    so no action can touch another host's row; the lists filter by `own_host()` themselves.
    """
    if request.endpoint in OPEN_ENDPOINTS or not current_user.is_host_only:
        return None
    host = own_host()
    if host is None or request.endpoint not in HOST_ENDPOINTS:
        abort(403)
    ids = request.view_args or {}
    owned = (("booking_id", lambda i: booking_queries.get_booking(i, host)),
             ("rule_id", lambda i: availability_admin.rule_of(i, host)),
             ("block_id", lambda i: availability_admin.block_of(i, host)))
    for name, find in owned:
        if name in ids and find(ids[name]) is None:
            abort(404)
    return None


@bp.after_request
def no_store(response):
    """Keep admin pages out of shared caches and the browser's back-button cache."""
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def status_for(error: ServiceError) -> int:
    """Return the HTTP status that tells what kind of refusal `error` is."""
    return {ValidationFailed: 422, NotFound: 404}.get(type(error), 409)


def done(message: str, fragment: str, back: str, **context):
    """Answer a successful action: the updated fragment for htmx, else a redirect with a flash."""
    if wants_fragment():
        return render_page_or_fragment(fragment, fragment, message=message, **context)
    flash(str(message))
    response = redirect(back, code=303)
    add_vary(response, "HX-Request")
    return response


def zone() -> str:
    """Return the business zone every admin page shows times in."""
    return get_settings().business_timezone


def safe_next(target: str | None, default: str) -> str:
    """Return `target` if it is a path inside the admin, else `default` (no open redirect)."""
    if not target or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/admin"):
        return default
    return target


def page_number() -> int:
    """Return the page number asked for (1 when missing or nonsense, never absurdly large)."""
    return min(max(1, request.args.get("page", 1, type=int) or 1), MAX_PAGE)


def refusal(form, error: ServiceError | None) -> str:
    """Put a refusal's field messages beside `form`'s fields; return the summary to show above."""
    if error is None:
        return str(INVALID)
    # a service's words are in the catalogue when marked where they are written (else they stay as written)
    fields = {name: gettext(message) for name, message in error.fields.items()}
    unshown = attach_errors(form, fields) if form is not None else list(fields.values())
    return " ".join([gettext(error.message), *unshown])


def form_action(action, *, message: str, back: str, page: str, context, form=None):
    """Validate `form` (if any) and run the service call: redirect with a flash, or re-render.

    On a refusal the page is rendered again from `context()` with the posted `form` (what the
    admin typed, messages beside the fields) and a summary, as 422 (or 409 for a conflict).
    """
    if form is not None and not form.validate():
        return _again(page, context, form, INVALID, 422)
    try:
        action()
    except NotFound:
        abort(404)
    except ServiceError as exc:
        return _again(page, context, form, refusal(form, exc), status_for(exc))
    flash(str(message))
    return redirect(back, code=303)


def _again(page: str, context, form, error: str, status: int):
    """Render `page` again with the posted form and the summary message."""
    shown = context()
    if form is not None:
        shown["form"] = form
    return render_template(page, **shown, error=error), status
