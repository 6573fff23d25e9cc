"""Flask-Login wiring: how a session id becomes an admin."""
from flask import Flask

from webapp.extensions import db, login_manager
from webapp.models import AdminUser


def init_app(app: Flask) -> None:
    """Bind Flask-Login to `app`: where to send anonymous visitors, how to load an admin."""
    login_manager.init_app(app)
    login_manager.login_view = "admin.login_form"
    login_manager.login_message = "Please log in to see that page."
    login_manager.user_loader(load_admin)


def load_admin(user_id: str) -> AdminUser | None:
    """Return the active admin stored in the session, if any."""
    if not user_id.isdigit():
        return None
    admin = db.session.get(AdminUser, int(user_id))
    return admin if admin is not None and admin.active else None
