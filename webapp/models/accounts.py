"""Admin users, their login throttles and API tokens."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.types import CURRENT_TIMESTAMP, UTCDateTime, created_at_column

#: what an admin account may do: run everything, or (a host's login) only their own calendar
ADMIN_ROLES = ("admin", "host")
ROLE_ADMIN, ROLE_HOST = ADMIN_ROLES


class AdminUser(UserMixin, db.Model):
    """A person who runs the calendar from the dashboard."""

    __tablename__ = "admin_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: argon2id hash
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: unused since login throttling moved to LoginThrottle (kept so a rolling deploy's old
    #: processes still load admins; a later migration drops both)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: sessions carry the epoch they started in; raising it (logout, new password, "sign out
    #: everywhere") ends every older session at its next request
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    #: "admin" (owner or staff: everything) or "host" (only the linked host's own calendar)
    role: Mapped[str] = mapped_column(String(16), default=ROLE_ADMIN, server_default=text("'admin'"))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the admin pages' language ("en", "it"), also that of the notices they receive;
    #: NULL: the business's default language
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = created_at_column()

    @property
    def is_active(self) -> bool:
        """Return whether this admin may log in (Flask-Login hook)."""
        return self.active

    @property
    def is_host_only(self) -> bool:
        """Return whether this login sees only its own host's calendar (role "host")."""
        return self.role == ROLE_HOST


class LoginThrottle(db.Model):
    """Recent failed logins of one key (an account from one address, or one address)."""

    __tablename__ = "login_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: sha256 of the key, so neither typed emails nor addresses are stored
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    #: no attempt with this key is checked before this instant
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: set by the app's clock only (no onupdate), so old keys are forgotten on its time
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=CURRENT_TIMESTAMP)


class ApiToken(db.Model):
    """A bearer token that lets a program use admin API features."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    #: sha256 of the token (the token is shown once, at creation)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
