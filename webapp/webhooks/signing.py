"""The `Webhook-Signature` header: HMAC-SHA256 of `timestamp + "." + body` with the endpoint's secret.

The header reads `t=<unix seconds>,v1=<hex digest>`. The timestamp is the attempt's, so a
receiver can refuse old (replayed) deliveries; README.md ("Webhooks") shows how to verify.
"""
import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "Webhook-Signature"
#: secrets start with this, so one pasted in the wrong place is recognisable
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """Return a fresh random signing secret (256 bits)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Return the hex HMAC-SHA256 of `timestamp.body` under `secret`."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """Return the value of the Webhook-Signature header for `body` sent at `timestamp`."""
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"
