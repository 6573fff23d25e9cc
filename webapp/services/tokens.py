"""Manage tokens: derived from the booking uid with a server key; only hashes are stored."""
import base64
import hashlib
import hmac

from flask import current_app


def manage_token(uid: str) -> str:
    """Return the manage token of the booking `uid` (256 bits, HMAC of a server key)."""
    key = (current_app.config.get("MANAGE_TOKEN_KEY") or current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, b"manage-token:" + uid.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    """Return the stored form of a token: its sha256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def manage_url(uid: str) -> str:
    """Return the absolute manage link of the booking `uid`."""
    return f"{current_app.config['BASE_URL']}/manage/{manage_token(uid)}"
