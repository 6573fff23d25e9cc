"""Admin accounts: argon2 password hashes and a login that locks after repeated failures."""
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, update

from webapp.extensions import db
from webapp.models import AdminUser
from webapp.services.errors import ServiceError, ValidationFailed
from webapp.services.validation import FieldErrors

#: wrong passwords in a row that lock an account
MAX_FAILED_LOGINS = 5
MIN_PASSWORD_LENGTH = 10
#: the same words for an unknown email, a wrong password and a locked account
LOGIN_FAILED = "That email and password did not work, or there were too many attempts. Try again later."

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("a password nobody has")


class LoginFailed(ServiceError):
    """The credentials were refused (the reason is deliberately not told)."""

    code = "login_failed"


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password."""
    return _hasher.hash(password)


def _password_matches(stored_hash: str, password: str) -> bool:
    """Return True if `password` matches the stored argon2 hash."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def find_admin(email: str) -> AdminUser | None:
    """Return the admin with this email (case-insensitive), if any."""
    if not isinstance(email, str):
        return None
    return db.session.scalar(
        db.select(AdminUser).where(func.lower(AdminUser.email) == email.strip().lower()))


def create_admin(email: str, password: str) -> tuple[AdminUser, bool]:
    """Create an admin, or set a new password on an existing one; return (admin, created)."""
    errors = FieldErrors()
    email = errors.email("email", email)
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if errors:
        raise ValidationFailed("Please correct the highlighted fields.", dict(errors))
    admin = find_admin(email)
    created = admin is None
    if created:
        admin = AdminUser(email=email.lower(), active=True)
        db.session.add(admin)
    admin.password_hash = hash_password(password)
    admin.failed_logins, admin.locked_until = 0, None
    db.session.commit()
    return admin, created


def authenticate(email: str, password: str, now: datetime, *, lockout: timedelta) -> AdminUser:
    """Return the admin these credentials open, or raise LoginFailed.

    After MAX_FAILED_LOGINS wrong passwords the account refuses even the right one
    until `lockout` has passed.
    """
    admin = find_admin(email)
    if admin is None or not admin.active or not isinstance(password, str):
        _password_matches(_DUMMY_HASH, str(password))  # same cost whether or not the account exists
        raise LoginFailed(LOGIN_FAILED)
    if admin.locked_until is not None and admin.locked_until > now:
        raise LoginFailed(LOGIN_FAILED)
    if not _password_matches(admin.password_hash, password):
        _count_failure(admin, now, lockout)
        raise LoginFailed(LOGIN_FAILED)
    if _hasher.check_needs_rehash(admin.password_hash):
        admin.password_hash = hash_password(password)
    admin.failed_logins, admin.locked_until, admin.last_login_at = 0, None, now
    db.session.commit()
    return admin


def _count_failure(admin: AdminUser, now: datetime, lockout: timedelta) -> None:
    """Count a wrong password atomically and lock the account at the limit."""
    db.session.execute(update(AdminUser).where(AdminUser.id == admin.id)
                       .values(failed_logins=AdminUser.failed_logins + 1))
    db.session.refresh(admin)
    if admin.failed_logins >= MAX_FAILED_LOGINS:
        admin.failed_logins, admin.locked_until = 0, now + lockout
    db.session.commit()
