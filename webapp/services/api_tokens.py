"""API bearer tokens: random, shown once at creation, stored only as a hash."""
import secrets
from datetime import datetime

from webapp.extensions import db
from webapp.models import ApiToken
from webapp.services.tokens import token_hash

#: long enough to rule out guessing, short enough to paste (43 characters)
TOKEN_BYTES = 32


def create_api_token(name: str) -> str:
    """Store a new admin API token called `name` and return it (the only time it is seen)."""
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValueError("A token needs a name of 1 to 120 characters.")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(ApiToken(name=name, token_hash=token_hash(token)))
    db.session.commit()
    return token


def verify_api_token(token: str | None, now: datetime) -> ApiToken | None:
    """Return the live token record `token` opens (noting its use), or None."""
    if not isinstance(token, str) or not 20 <= len(token) <= 200:
        return None
    record = db.session.scalar(db.select(ApiToken).where(
        ApiToken.token_hash == token_hash(token), ApiToken.revoked_at.is_(None)))
    if record is not None:
        record.last_used_at = now
        db.session.commit()
    return record


def list_api_tokens() -> list[ApiToken]:
    """Return every API token record (live and revoked), oldest first."""
    return list(db.session.scalars(db.select(ApiToken).order_by(ApiToken.id)))


def revoke_api_token(token_id: int, now: datetime) -> ApiToken | None:
    """Revoke the token with id `token_id` from `now` on; return it, or None if unknown.

    Revoking twice keeps the first revocation time.
    """
    record = db.session.get(ApiToken, token_id)
    if record is not None and record.revoked_at is None:
        record.revoked_at = now
        db.session.commit()
    return record


def bearer_token(authorization: str | None) -> str | None:
    """Return the token of an `Authorization: Bearer ...` header value, if any."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
