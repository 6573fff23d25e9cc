"""Admin login, logout and "sign out everywhere"."""
from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from webapp.admin.blueprint import INVALID, OPEN_ENDPOINTS, bp, safe_next
from webapp.admin.forms import LoginForm
from webapp.auth import start_admin_session
from webapp.clock import now
from webapp.extensions import limiter
from webapp.ratelimits import configured
from webapp.services.admin_accounts import LoginFailed, authenticate, end_sessions

OPEN_ENDPOINTS.add("admin.login_form")


def _max_delay() -> timedelta:
    """Return the longest wait failed logins may impose on one address."""
    return timedelta(minutes=current_app.config["ADMIN_LOGIN_MAX_DELAY_MINUTES"])


@bp.get("/login")
def login_form():
    """Show the login form."""
    return render_template("admin/login.html", form=LoginForm(next=request.args.get("next", "")))


@bp.post("/login")
@limiter.limit(configured("ADMIN_LOGIN_RATE_LIMIT"))
def login():
    """Log an admin in, or show the form again: a blank field beside it, any refusal in one message."""
    form = LoginForm()
    if not form.validate():
        return render_template("admin/login.html", form=form, error=INVALID), 422
    try:
        admin = authenticate(form.email.data, form.password.data, now(),
                             address=request.remote_addr, max_delay=_max_delay())
    except LoginFailed as exc:
        return render_template("admin/login.html", form=form, error=_(exc.message)), 401
    session.clear()  # a fresh session at the privilege change
    login_user(admin)
    start_admin_session(admin, now())
    return redirect(safe_next(form.next.data, url_for("admin.dashboard")), code=303)


def _end_sessions_and_leave(message: str):
    """End every session of the logged-in admin, this one included, and go to the login page."""
    end_sessions(current_user)
    logout_user()
    session.clear()
    flash(message)
    return redirect(url_for("admin.login_form"), code=303)


@bp.post("/logout")
def logout():
    """Log the admin out: this session, and any copy of its cookie, stop working at once."""
    return _end_sessions_and_leave(_("You are logged out."))


@bp.post("/sign-out-everywhere")
def sign_out_everywhere():
    """End every session of this admin, on every device (e.g. after using a shared computer)."""
    return _end_sessions_and_leave(_("You are signed out on every device."))
