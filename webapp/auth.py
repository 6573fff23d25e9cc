"""Flask-Login wiring: how a session becomes an admin, and when a session stops being one.

A login stores the admin's `session_epoch` and two instants in the (signed) session. The
loader accepts the session only while the epoch still matches (logout, a new password and
"sign out everywhere" raise it), the admin was seen within the idle lifetime, and the
session is younger than the absolute lifetime. So a copied cookie dies server-side.
"""
from datetime import datetime, timedelta

from flask import Flask, current_app, session
from flask_babel import gettext
from flask_login import current_user

from webapp.clock import now
from webapp.extensions import db, login_manager
from webapp.mail.language import N_
from webapp.models import AdminUser

#: the session keys of an admin login
EPOCH, STARTED, SEEN = "admin_epoch", "admin_started", "admin_seen"
#: the idle clock is moved at most this often, so most requests leave the cookie unchanged
SEEN_RESOLUTION = timedelta(minutes=1)


def init_app(app: Flask) -> None:
    """Bind Flask-Login to `app`: where to send anonymous visitors, how to load an admin."""
    # Templates get `current_user` as Flask-Login's proxy, loaded only by a page that reads it
    # (its own context processor loads the user for every page: ~70 µs on the public ones).
    login_manager.init_app(app, add_context_processor=False)
    app.context_processor(lambda: {"current_user": current_user})
    login_manager.login_view = "admin.login_form"
    login_manager.login_message = N_("Please log in to see that page.")
    login_manager.localize_callback = gettext  # in the login page's language (the business default)
    login_manager.user_loader(load_admin)
    # The signed cookie itself expires with the absolute lifetime too.
    app.config["PERMANENT_SESSION_LIFETIME"] = session_lifetimes(app)[1]


def session_lifetimes(app: Flask) -> tuple[timedelta, timedelta]:
    """Return the (idle, absolute) lifetimes of an admin session from the configuration."""
    return (timedelta(minutes=app.config["ADMIN_SESSION_IDLE_MINUTES"]),
            timedelta(hours=app.config["ADMIN_SESSION_MAX_HOURS"]))


def start_admin_session(admin: AdminUser, at: datetime) -> None:
    """Stamp a fresh login into the session: the admin's epoch, when it started, when last seen."""
    session[EPOCH] = admin.session_epoch
    session[STARTED] = session[SEEN] = int(at.timestamp())


def load_admin(user_id: str) -> AdminUser | None:
    """Return the active admin of a still-valid session, else None (and forget the session)."""
    if not user_id.isdigit():
        return None
    admin = db.session.get(AdminUser, int(user_id))
    if admin is None or not admin.active or not _session_is_current(admin, now()):
        session.clear()
        return None
    return admin


def _session_is_current(admin: AdminUser, at: datetime) -> bool:
    """Tell whether the session is of the admin's current epoch and within both lifetimes."""
    epoch, started, seen = session.get(EPOCH), session.get(STARTED), session.get(SEEN)
    if epoch != admin.session_epoch or not isinstance(started, int) or not isinstance(seen, int):
        return False
    idle, absolute = session_lifetimes(current_app)
    instant = at.timestamp()
    if instant - started > absolute.total_seconds() or instant - seen > idle.total_seconds():
        return False
    if instant - seen >= SEEN_RESOLUTION.total_seconds():
        session[SEEN] = int(instant)
    return True
