"""Admin pages under /admin/integrations and the OAuth callbacks under /api/v1/integrations."""
from authlib.integrations.base_client import OAuthError
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from webapp.admin.blueprint import refuse_host_logins
from webapp.clock import now
from webapp.integrations.oauth import connect_policy, oauth_client, redirect_uri
from webapp.meetings import PROVIDER_NAMES, PROVIDERS, ProviderError, provider_by_slug
from webapp.services import integrations
from webapp.services.errors import NotAllowed

bp = Blueprint("integrations", __name__)


@bp.before_request
def admins_only():
    """Refuse host logins: meeting-provider connections are the admins' (see admin.blueprint)."""
    refuse_host_logins()


@bp.after_request
def no_store(response):
    """Keep these pages (and the callback's redirect) out of caches."""
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _key(slug: str) -> str:
    """Return the provider key of a URL slug, or 404."""
    info = provider_by_slug(slug)
    if info is None:
        abort(404)
    return info.key


def _back():
    """Redirect to the integrations page."""
    return redirect(url_for("integrations.index"), code=303)


@bp.get("/admin/integrations")
@login_required
def index():
    """List each meeting provider with its status and a Connect or Disconnect button."""
    html = render_template("integrations/index.html", statuses=integrations.integration_statuses(),
                           slugs={info.key: info.oauth.slug for info in PROVIDERS if info.oauth})
    return html, {"Content-Security-Policy": connect_policy()}


@bp.post("/admin/integrations/<slug>/connect")
@login_required
def connect(slug: str):
    """Start the authorisation-code flow (state and PKCE kept in the session)."""
    key = _key(slug)
    try:
        integrations.require_oauth_provider(key)
    except NotAllowed as exc:
        flash(_(exc.message))
        return _back()
    return oauth_client(key).authorize_redirect(redirect_uri(key))


@bp.get("/api/v1/integrations/<slug>/callback")
@login_required
def callback(slug: str):
    """Finish the flow: check state, exchange the code with the verifier, store the tokens."""
    key = _key(slug)
    try:
        token = oauth_client(key).authorize_access_token()
        integrations.connect(key, dict(token), now())
    except (OAuthError, NotAllowed, ProviderError) as exc:
        flash(_("%(provider)s was not connected: %(reason)s", provider=PROVIDER_NAMES[key], reason=_describe(exc)))
        return _back()
    flash(_("%(provider)s is connected.", provider=PROVIDER_NAMES[key]))
    return _back()


@bp.post("/admin/integrations/<slug>/disconnect")
@login_required
def disconnect(slug: str):
    """Forget the provider's tokens; new bookings can no longer choose it."""
    key = _key(slug)
    integrations.disconnect(key, now())
    flash(_("%(provider)s is disconnected.", provider=PROVIDER_NAMES[key]))
    return _back()


def _describe(exc: Exception) -> str:
    """Say what went wrong in the flow, for the admin."""
    if isinstance(exc, OAuthError):
        return exc.description or exc.error or "the authorisation failed"
    return getattr(exc, "message", str(exc))
