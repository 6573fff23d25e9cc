"""Admin login and logout."""
from datetime import timedelta

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user

from webapp.admin.blueprint import INVALID, OPEN_ENDPOINTS, bp, safe_next
from webapp.admin.forms import LoginForm
from webapp.clock import now
from webapp.extensions import limiter
from webapp.ratelimits import configured
from webapp.services.admin_accounts import LoginFailed, authenticate

OPEN_ENDPOINTS.add("admin.login_form")


def _lockout() -> timedelta:
    """Return how long an account stays locked after too many wrong passwords."""
    return timedelta(minutes=current_app.config.get("ADMIN_LOCKOUT_MINUTES", 15))


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
        admin = authenticate(form.email.data, form.password.data, now(), lockout=_lockout())
    except LoginFailed as exc:
        return render_template("admin/login.html", form=form, error=exc.message), 401
    session.clear()  # a fresh session at the privilege change
    login_user(admin)
    return redirect(safe_next(form.next.data, url_for("admin.dashboard")), code=303)


@bp.post("/logout")
def logout():
    """Log the admin out."""
    logout_user()
    session.clear()
    return redirect(url_for("admin.login_form"), code=303)
