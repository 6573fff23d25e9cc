"""Provider keys, display names and the factory that builds a provider from config."""
from __future__ import annotations

from collections.abc import Callable, Mapping

from webapp.meetings import google_meet, jitsi, teams, whereby, zoom
from webapp.meetings.base import MeetingProvider, ProviderAuthError

PROVIDER_KEYS = ("jitsi", "google_meet", "zoom", "teams", "whereby")
PROVIDER_NAMES = {
    "jitsi": "Jitsi Meet",
    "google_meet": "Google Meet",
    "zoom": "Zoom",
    "teams": "Microsoft Teams",
    "whereby": "Whereby",
}
#: providers that act through a connected OAuth account (the others need none, or an API key)
OAUTH_PROVIDERS = frozenset({"google_meet", "zoom", "teams"})
#: the provider used when the chosen one fails for good: it needs no account
FALLBACK_PROVIDER = "jitsi"

_OAUTH_CLASSES = {
    "google_meet": (google_meet.GoogleMeetProvider, "GOOGLE_API_BASE_URL", google_meet.DEFAULT_BASE_URL),
    "zoom": (zoom.ZoomProvider, "ZOOM_API_BASE_URL", zoom.DEFAULT_BASE_URL),
    "teams": (teams.TeamsProvider, "GRAPH_API_BASE_URL", teams.DEFAULT_BASE_URL),
}


def build_provider(
    key: str, config: Mapping, token_getter: Callable[[], str] | None = None
) -> MeetingProvider:
    """Build the provider `key` from config; OAuth providers need a token getter.

    Raises ValueError for an unknown key and ProviderAuthError when the provider is not
    connected (no token getter, no Whereby API key).
    """
    if key == "jitsi":
        return jitsi.JitsiProvider(config.get("JITSI_BASE_URL") or jitsi.DEFAULT_BASE_URL)
    if key == "whereby":
        api_key = config.get("WHEREBY_API_KEY")
        if not api_key:
            raise ProviderAuthError("Whereby: WHEREBY_API_KEY is not set")
        return whereby.WherebyProvider(
            api_key, config.get("WHEREBY_API_BASE_URL") or whereby.DEFAULT_BASE_URL
        )
    if key in _OAUTH_CLASSES:
        cls, url_key, default_url = _OAUTH_CLASSES[key]
        if token_getter is None:
            raise ProviderAuthError(f"{PROVIDER_NAMES[key]}: no account is connected")
        return cls(token_getter, config.get(url_key) or default_url)
    raise ValueError(f"unknown meeting provider {key!r}; expected one of {PROVIDER_KEYS}")
