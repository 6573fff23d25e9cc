"""Meeting providers behind one interface: pure library code, config passed in.

No Flask and no SQLAlchemy here: the worker builds a provider with `build_provider`,
hands it a token getter, and stores the returned `Meeting`.
"""
from webapp.meetings.base import (
    Meeting,
    MeetingProvider,
    MeetingRequest,
    ProviderAuthError,
    ProviderError,
)
from webapp.meetings.registry import (
    FALLBACK_PROVIDER,
    OAUTH_PROVIDERS,
    PROVIDER_KEYS,
    PROVIDER_NAMES,
    build_provider,
)

__all__ = [
    "FALLBACK_PROVIDER",
    "Meeting",
    "MeetingProvider",
    "MeetingRequest",
    "OAUTH_PROVIDERS",
    "PROVIDER_KEYS",
    "PROVIDER_NAMES",
    "ProviderAuthError",
    "ProviderError",
    "build_provider",
]
