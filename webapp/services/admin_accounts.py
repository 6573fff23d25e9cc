"""Admin accounts: argon2 password hashes, a throttled login, and ending an admin's sessions."""
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, update

from webapp.extensions import db
from webapp.mail.language import LANGUAGES, N_, supported
from webapp.models import AdminUser, Host
from webapp.models.accounts import ADMIN_ROLES
from webapp.services.errors import ServiceError, ValidationFailed
from webapp.services.login_throttle import (
    forget_account_failures,
    is_throttled,
    record_failure,
    throttle_keys,
)
from webapp.services.validation import FieldErrors

MIN_PASSWORD_LENGTH = 10
#: the same words for an unknown email, a wrong password and a throttled attempt
LOGIN_FAILED = N_("That email and password did not work, or there were too many attempts. Try again later.")

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


def all_admins() -> list[AdminUser]:
    """Return every admin account, by email (for linking a host to a login)."""
    return list(db.session.scalars(db.select(AdminUser).order_by(AdminUser.email)))


def create_admin(email: str, password: str, role: str | None = None,
                 language: str | None = None) -> tuple[AdminUser, bool]:
    """Create an admin, or set a new password on an existing one; return (admin, created).

    `role` ("admin" or "host") and `language` (of the admin pages: "en", "it") are set when
    given; a new account is an admin unless told, in the business's language unless told.
    A new password ends every session the admin had.
    """
    errors = FieldErrors()
    email = errors.email("email", email)
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if role is not None and role not in ADMIN_ROLES:
        errors["role"] = f"Choose one of: {', '.join(ADMIN_ROLES)}."
    if language is not None and supported(language) is None:
        errors["language"] = f"Choose one of: {', '.join(LANGUAGES)}."
    if errors:
        raise ValidationFailed("Please correct the highlighted fields.", dict(errors))
    admin = find_admin(email)
    created = admin is None
    if created:
        admin = AdminUser(email=email.lower(), active=True, session_epoch=0)
        db.session.add(admin)
    admin.password_hash = hash_password(password)
    if role is not None:
        admin.role = role
    if language is not None:
        admin.language = supported(language)
    db.session.commit()
    if not created:
        end_sessions(admin)
    return admin, created


def set_language(admin: AdminUser, language: str) -> None:
    """Store the language `admin` reads the admin pages (and their notices) in."""
    chosen = supported(language)
    if chosen is None:
        raise ValidationFailed("Please correct the highlighted fields.",
                               {"language": f"Choose one of: {', '.join(LANGUAGES)}."})
    admin.language = chosen
    db.session.commit()


def authenticate(email: str, password: str, now: datetime, *, address: str | None,
                 max_delay: timedelta) -> AdminUser:
    """Return the admin these credentials open, or raise LoginFailed.

    Failures slow down the typed email from this `address`, and the address itself
    (`login_throttle`), up to `max_delay`; nobody else. Every path verifies one argon2 hash
    (a dummy one for unknown, inactive or throttled attempts) and gives the same answer, so
    neither the words nor the time tell whether an email belongs to an admin.
    """
    keys = throttle_keys(email, address)
    throttled = is_throttled(keys, now)
    admin = find_admin(email)
    usable = not throttled and admin is not None and admin.active and isinstance(password, str)
    matches = _password_matches(admin.password_hash if usable else _DUMMY_HASH, str(password))
    if not (usable and matches):
        if not throttled:  # waiting out a delay does not lengthen it
            record_failure(keys, now, max_delay)
        raise LoginFailed(LOGIN_FAILED)
    if _hasher.check_needs_rehash(admin.password_hash):
        admin.password_hash = hash_password(password)
    admin.last_login_at = now
    db.session.commit()
    forget_account_failures(email, address)
    return admin


def end_sessions(admin: AdminUser) -> None:
    """End every session of `admin` (they carry an older epoch from now on)."""
    db.session.execute(update(AdminUser).where(AdminUser.id == admin.id)
                       .values(session_epoch=AdminUser.session_epoch + 1))
    db.session.commit()
    db.session.refresh(admin)


def end_every_admins_sessions() -> int:
    """End every session of every admin; return how many admins there are."""
    result = db.session.execute(update(AdminUser).values(session_epoch=AdminUser.session_epoch + 1))
    db.session.commit()
    return result.rowcount


def notice_language(recipients: list[str]) -> str | None:
    """Return the language the accounts of a notice's recipients chose, when they agree; else None.

    A recipient is an account by its own email or as the login of a host with that email; a
    recipient without an account, or accounts that chose differently, leave it to the business.
    """
    keys = [address.strip().lower() for address in recipients]
    if not keys:
        return None
    by_email = db.select(AdminUser.language).where(func.lower(AdminUser.email).in_(keys))
    by_host = (db.select(AdminUser.language).join(Host, Host.admin_user_id == AdminUser.id)
               .where(func.lower(Host.email).in_(keys)))
    chosen = set(db.session.scalars(by_email.union(by_host)))
    return chosen.pop() if len(chosen) == 1 else None
