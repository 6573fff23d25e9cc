"""Idempotency keys: a retried request gets the first response instead of acting twice.

Keys are scoped to the caller: the stored key is a hash of (scope, key), where the scope is
the admin API token's id or, for anonymous callers, their client address. So the same key
sent by another caller is a different key: it can neither read nor burn someone else's
answer. (Anonymous callers behind one address share a scope; a client that retries from a
new address simply books again, the seed's behaviour without a key.)
"""
import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import IdempotencyRecord
from webapp.services.errors import ServiceError, ValidationFailed

#: response_status of a key whose first request is still running
IN_PROGRESS = 0
#: a reservation this old was left by a crashed request and may be taken over
STALE_AFTER = timedelta(minutes=2)
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


class KeyInUse(ServiceError):
    """Another request with the same key is still being answered."""

    code = "idempotency_key_in_use"


def fingerprint(data) -> str:
    """Return the hash of a JSON request body, independent of key order and spacing."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def scoped_key(scope: str, key: str) -> str:
    """Return the stored form of `key` sent by the caller `scope`: a hash, so scopes never meet."""
    return hashlib.sha256(f"{scope}\n{key}".encode()).hexdigest()


#: the answer while the first request with a key is still running
STILL_RUNNING = _l("A request with this Idempotency-Key is still being processed; retry shortly.")


def run_once(scope: str, key: str, data, now: datetime,
             action: Callable[[], tuple[int, dict]]) -> tuple[int, dict]:
    """Run `action` once per (caller scope, key) and return its (status, body); retries get the stored answer.

    Only successful answers are kept: a refused request stores nothing and may be retried.
    """
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValidationFailed(_("The Idempotency-Key header must be 1 to 255 visible ASCII characters."),
                               {"Idempotency-Key": _("Use 1 to 255 visible ASCII characters.")})
    key = scoped_key(scope, key)
    digest = fingerprint(data)
    stored = _claim(key, digest, now)
    if stored is not None:
        return stored
    try:
        status, body = action()
    except BaseException:
        _release(key)
        raise
    _store(key, status, body)
    return status, body


def _claim(key: str, digest: str, now: datetime) -> tuple[int, dict] | None:
    """Return the stored answer for `key`, or reserve the key for this request."""
    record = db.session.scalar(db.select(IdempotencyRecord).where(IdempotencyRecord.key == key))
    if record is not None and record.request_hash != digest:
        raise ValidationFailed(
            _("This Idempotency-Key was already used with a different request body; "
              "use a new key for a new request."), {"Idempotency-Key": _("Already used for another request.")})
    if record is not None and record.response_status != IN_PROGRESS:
        return record.response_status, json.loads(record.response_body)
    if record is not None and record.created_at > now - STALE_AFTER:
        raise KeyInUse(str(STILL_RUNNING))
    if record is not None:
        record.created_at = now
    else:
        db.session.add(IdempotencyRecord(key=key, request_hash=digest, response_status=IN_PROGRESS,
                                         response_body="", created_at=now))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise KeyInUse(str(STILL_RUNNING)) from None
    return None


def _store(key: str, status: int, body: dict) -> None:
    """Keep the answer given to the first request with `key`."""
    record = db.session.scalar(db.select(IdempotencyRecord).where(IdempotencyRecord.key == key))
    record.response_status = status
    record.response_body = json.dumps(body)
    db.session.commit()


def _release(key: str) -> None:
    """Forget the reservation of a request that was refused, so nothing is stored."""
    db.session.rollback()
    db.session.execute(db.delete(IdempotencyRecord).where(
        IdempotencyRecord.key == key, IdempotencyRecord.response_status == IN_PROGRESS))
    db.session.commit()


#: how long a key's first answer is kept for retries (the sweep forgets older ones)
KEPT_FOR = timedelta(hours=24)


def forget_old_answers(now: datetime) -> int:
    """Delete the answers of keys older than KEPT_FOR; return how many went."""
    result = db.session.execute(
        db.delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - KEPT_FOR))
    db.session.commit()
    return result.rowcount
