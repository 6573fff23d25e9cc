"""Helpers for the integration tests: provider config against the stubs, connected accounts."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography.fernet import Fernet

from tests.factories import store_booking
from tests.stubs import OAuthStub, StubServer
from webapp.extensions import db
from webapp.models import Booking, ProviderIntegration
from webapp.services import integrations

KEY_OLD, KEY_NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
CLIENT_EMAIL = "ada@example.com"
#: where the stubs' token checks expect our client (tests.stubs.OAuthStub defaults)
CLIENT_ID, CLIENT_SECRET = "stub-client", "stub-secret"
_PREFIX = {"google_meet": "GOOGLE", "zoom": "ZOOM", "teams": "MICROSOFT"}
_API_URL = {"google_meet": "GOOGLE_API_BASE_URL", "zoom": "ZOOM_API_BASE_URL",
            "teams": "GRAPH_API_BASE_URL", "whereby": "WHEREBY_API_BASE_URL"}


def now() -> datetime:
    """The real current instant (Whereby's stub refuses rooms ending in the past)."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def provider_config(apis: dict[str, StubServer], oauth: dict[str, OAuthStub]) -> dict:
    """App config pointing every provider's API and OAuth endpoints at the stubs."""
    config = {"TOKEN_ENCRYPTION_KEYS": KEY_OLD, "WHEREBY_API_KEY": "whereby-api-key",
              "MEETING_ATTEMPTS": 3, "OUTBOX_MAX_ATTEMPTS": 5, "OUTBOX_RETRY_BASE_SECONDS": 60}
    for key, stub in apis.items():
        config[_API_URL[key]] = stub.url
    for key, stub in oauth.items():
        prefix = _PREFIX[key]
        config.update({f"{prefix}_CLIENT_ID": CLIENT_ID, f"{prefix}_CLIENT_SECRET": CLIENT_SECRET,
                       f"{prefix}_AUTHORIZE_URL": f"{stub.url}/authorize",
                       f"{prefix}_TOKEN_URL": f"{stub.url}/token"})
    return config


@dataclass
class Account:
    """A connected provider account: the tokens it was given."""

    access_token: str
    refresh_token: str


def connect_account(key: str, oauth_stub: OAuthStub, *, access_token: str,
                    expires_in: int = 3600) -> Account:
    """Store tokens for `key` as a finished connect would (refresh token issued by the stub)."""
    refresh = oauth_stub.issue_refresh_token("scope")
    integrations.connect(key, {"access_token": access_token, "refresh_token": refresh,
                               "expires_in": expires_in, "scope": "scope"}, now())
    return Account(access_token, refresh)


def integration(key: str) -> ProviderIntegration | None:
    """Return the provider's integration row, read fresh."""
    db.session.rollback()
    return db.session.scalar(db.select(ProviderIntegration).where(ProviderIntegration.provider == key))


def booking_with(provider: str, *, days_ahead: int = 5, **params) -> Booking:
    """Store an active booking that chose `provider`, a few days ahead."""
    start = now().replace(minute=0, second=0) + timedelta(days=days_ahead)
    return store_booking(meeting_provider=provider, scheduled_at=start, client_email=CLIENT_EMAIL,
                          client_name="Ada Lovelace", **params)


def fresh(booking_id: int) -> Booking:
    """Return the booking, read fresh."""
    db.session.rollback()
    return db.session.get(Booking, booking_id, populate_existing=True)


def move(booking_id: int, hours: int) -> Booking:
    """Move a booking's time directly (as a reschedule does) and bump its version."""
    booking = fresh(booking_id)
    booking.scheduled_at += timedelta(hours=hours)
    booking.ends_at += timedelta(hours=hours)
    booking.version += 1
    db.session.commit()
    return booking
