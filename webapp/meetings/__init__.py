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
    PROVIDERS,
    OAuthServer,
    ProviderInfo,
    build_provider,
    choice_label,
    provider_by_slug,
    provider_info,
)

__all__ = [
    "FALLBACK_PROVIDER",
    "Meeting",
    "MeetingProvider",
    "MeetingRequest",
    "OAUTH_PROVIDERS",
    "PROVIDER_KEYS",
    "PROVIDER_NAMES",
    "PROVIDERS",
    "OAuthServer",
    "ProviderInfo",
    "ProviderAuthError",
    "ProviderError",
    "build_provider",
    "choice_label",
    "provider_by_slug",
    "provider_info",
]
