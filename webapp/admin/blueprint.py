"""The admin blueprint, its login guard and the helpers its views share."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from webapp.booking_flow.flow import attach_errors
from webapp.extensions import login_manager
from webapp.htmx import render_page_or_fragment, wants_fragment
from webapp.services.errors import NotFound, ServiceError, ValidationFailed
from webapp.services.settings import get_settings

bp = Blueprint("admin", __name__, url_prefix="/admin")

#: the summary above a form whose fields were refused (the public forms say the same)
INVALID = "Please correct the highlighted fields."
#: no list has this many pages; a larger number would only overflow the database's offset
MAX_PAGE = 100_000
#: the only admin endpoints an anonymous visitor may reach
OPEN_ENDPOINTS = {"admin.login"}


@bp.before_request
def require_login():
    """Send anyone not logged in to the login page (every admin URL but the login itself)."""
    if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
        return None
    if wants_fragment():  # a fragment request cannot follow a redirect to a whole page: ask htmx to go
        response = current_app.make_response(("", 401))
        response.headers["HX-Redirect"] = url_for("admin.login_form", next=request.full_path)
        return response
    return login_manager.unauthorized()


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
    flash(message)
    response = redirect(back, code=303)
    response.vary.add("HX-Request")
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
        return INVALID
    unshown = attach_errors(form, error.fields) if form is not None else list(error.fields.values())
    return " ".join([error.message, *unshown])


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
    flash(message)
    return redirect(back, code=303)


def _again(page: str, context, form, error: str, status: int):
    """Render `page` again with the posted form and the summary message."""
    shown = context()
    if form is not None:
        shown["form"] = form
    return render_template(page, **shown, error=error), status
