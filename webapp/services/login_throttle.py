"""Login throttling: growing delays per (account, address) and per address, never a lock for all.

Failures are counted under two keys: the typed email from one client address, and the
address alone (any emails). Past a few free failures each key must wait, twice as long
after every further failure, up to a ceiling. The real admin, logging in from another
address, is never slowed by someone else's guesses. Keys are computed from the typed email
whether or not an account has it, so throttling behaves the same for unknown emails.
"""
import hashlib
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import LoginThrottle

#: wrong passwords one address may try on one account before the delays start
ACCOUNT_FREE_FAILURES = 3
#: failed logins one address may make (any emails) before the delays start
ADDRESS_FREE_FAILURES = 10
#: the first wait; each further failure doubles it, up to the configured ceiling
FIRST_DELAY = timedelta(seconds=30)
#: a key with no failure for this long starts again from nothing
FORGET_AFTER = timedelta(days=1)


def _hash(text: str) -> str:
    """Return the stored form of a throttle key (no emails or addresses in the table)."""
    return hashlib.sha256(text.encode()).hexdigest()


def account_key(email, address: str | None) -> str:
    """Return the key of the typed email tried from one address."""
    typed = email.strip().lower() if isinstance(email, str) else ""
    return _hash(f"account:{typed}\naddress:{address}")


def throttle_keys(email, address: str | None) -> dict[str, int]:
    """Return the keys a login attempt counts under, each with its number of free failures."""
    return {account_key(email, address): ACCOUNT_FREE_FAILURES,
            _hash(f"address:{address}"): ADDRESS_FREE_FAILURES}


def is_throttled(keys: dict[str, int], now: datetime) -> bool:
    """Tell whether any of the attempt's keys must still wait."""
    return db.session.scalar(db.select(db.func.count()).select_from(LoginThrottle).where(
        LoginThrottle.key_hash.in_(keys), LoginThrottle.blocked_until > now)) > 0


def delay_after(failures: int, free: int, ceiling: timedelta) -> timedelta | None:
    """Return how long a key waits after its `failures`-th failure (None while still free)."""
    if failures <= free:
        return None
    return min(FIRST_DELAY * 2 ** min(failures - free - 1, 20), ceiling)


def record_failure(keys: dict[str, int], now: datetime, ceiling: timedelta) -> None:
    """Count a failed login under each key and start its wait when it is past its free ones."""
    db.session.execute(db.delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - FORGET_AFTER))
    for key, free in keys.items():
        row = _row(key, now)
        db.session.execute(db.update(LoginThrottle).where(LoginThrottle.id == row.id).values(
            failures=LoginThrottle.failures + 1, last_failure_at=now))  # atomic under concurrent guesses
        db.session.refresh(row)
        wait = delay_after(row.failures, free, ceiling)
        row.blocked_until = now + wait if wait else None
    db.session.commit()


def _row(key: str, now: datetime) -> LoginThrottle:
    """Return the key's row, created (and committed) if it is new; a concurrent insert wins."""
    row = db.session.scalar(db.select(LoginThrottle).where(LoginThrottle.key_hash == key))
    if row is not None:
        return row
    db.session.add(LoginThrottle(key_hash=key, failures=0, last_failure_at=now))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    return db.session.scalar(db.select(LoginThrottle).where(LoginThrottle.key_hash == key))


def forget_account_failures(email: str, address: str | None) -> None:
    """Forget the failures of an account from this address after it logged in there."""
    db.session.execute(db.delete(LoginThrottle).where(LoginThrottle.key_hash == account_key(email, address)))
    db.session.commit()
