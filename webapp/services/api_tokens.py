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


def bearer_token(authorization: str | None) -> str | None:
    """Return the token of an `Authorization: Bearer ...` header value, if any."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
