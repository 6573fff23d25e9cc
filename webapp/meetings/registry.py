"""The one registry of meeting providers: key, names, OAuth server, class, config keys.

Every other place (the booking model's allowed values, the booking form's choices, the
admin integrations page, the OAuth connect flow, the API description) reads this tuple.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from webapp.meetings import google_meet, jitsi, teams, whereby, zoom
from webapp.meetings.base import MeetingProvider, ProviderAuthError
from webapp.meetings.oauth_tokens import AuthMethod


@dataclass(frozen=True)
class OAuthServer:
    """Where a provider authorises and issues tokens, and which config keys override it."""

    #: URL slug of the connect and callback routes (the seed's redirect URIs use it)
    slug: str
    #: `<PREFIX>_CLIENT_ID`, `_CLIENT_SECRET`, `_REDIRECT_URI`, `_AUTHORIZE_URL`, `_TOKEN_URL`, `_SCOPE`
    config_prefix: str
    authorize_url: str
    token_url: str
    scope: str
    auth_method: AuthMethod
    #: extra query parameters for the authorisation request
    authorize_params: Mapping[str, str] = field(default_factory=dict)
    #: whether the refresh grant must name the scopes again (Microsoft's v2 endpoint does)
    refresh_sends_scope: bool = False


@dataclass(frozen=True)
class ProviderInfo:
    """Everything the product knows about one meeting provider."""

    key: str
    #: display name, e.g. "Google Meet"
    name: str
    #: what the booking form offers the client
    choice_label: str
    provider_class: type[MeetingProvider]
    #: config key that overrides the provider's API base URL (tests point it at stubs)
    base_url_setting: str
    default_base_url: str
    #: set for providers that act through a connected OAuth account
    oauth: OAuthServer | None = None
    #: set for providers that act with an API key from config
    api_key_setting: str | None = None

    @property
    def kind(self) -> str:
        """"oauth" (connect button), "api_key" (config) or "builtin" (needs nothing)."""
        if self.oauth is not None:
            return "oauth"
        return "api_key" if self.api_key_setting else "builtin"


#: every provider, in the order the admin page and the choices list them
PROVIDERS: tuple[ProviderInfo, ...] = (
    ProviderInfo("jitsi", "Jitsi Meet", "Jitsi Meet (no account needed)", jitsi.JitsiProvider,
                 "JITSI_BASE_URL", jitsi.DEFAULT_BASE_URL),
    ProviderInfo("google_meet", "Google Meet", "Google Meet", google_meet.GoogleMeetProvider,
                 "GOOGLE_API_BASE_URL", google_meet.DEFAULT_BASE_URL, oauth=OAuthServer(
                     "google", "GOOGLE", "https://accounts.google.com/o/oauth2/v2/auth",
                     "https://oauth2.googleapis.com/token",
                     # events: Meet links and the bookings' events (calendar sync); freebusy:
                     # the host's busy times
                     "https://www.googleapis.com/auth/calendar.events "
                     "https://www.googleapis.com/auth/calendar.freebusy", "client_secret_post",
                     # offline + consent: Google only returns a refresh token when asked this way
                     {"access_type": "offline", "prompt": "consent"})),
    ProviderInfo("zoom", "Zoom", "Zoom", zoom.ZoomProvider, "ZOOM_API_BASE_URL",
                 zoom.DEFAULT_BASE_URL, oauth=OAuthServer(
                     "zoom", "ZOOM", "https://zoom.us/oauth/authorize", "https://zoom.us/oauth/token",
                     "meeting:write meeting:read", "client_secret_basic")),
    ProviderInfo("teams", "Microsoft Teams", "Microsoft Teams", teams.TeamsProvider,
                 "GRAPH_API_BASE_URL", teams.DEFAULT_BASE_URL, oauth=OAuthServer(
                     "teams", "MICROSOFT",
                     "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
                     "https://login.microsoftonline.com/common/oauth2/v2.0/token",
                     # Calendars.ReadWrite: getSchedule (the host's busy times) and the
                     # bookings' events written into the host's calendar (calendar sync)
                     "offline_access OnlineMeetings.ReadWrite User.Read Calendars.ReadWrite",
                     "client_secret_post",
                     refresh_sends_scope=True)),
    ProviderInfo("whereby", "Whereby", "Whereby", whereby.WherebyProvider, "WHEREBY_API_BASE_URL",
                 whereby.DEFAULT_BASE_URL, api_key_setting="WHEREBY_API_KEY"),
)
_BY_KEY = {info.key: info for info in PROVIDERS}
_BY_SLUG = {info.oauth.slug: info for info in PROVIDERS if info.oauth}

PROVIDER_KEYS = tuple(_BY_KEY)
PROVIDER_NAMES = {info.key: info.name for info in PROVIDERS}
#: providers that act through a connected OAuth account (the others need none, or an API key)
OAUTH_PROVIDERS = frozenset(info.key for info in PROVIDERS if info.oauth)
#: the provider used when the chosen one fails for good: it needs no account
FALLBACK_PROVIDER = "jitsi"


def provider_info(key: str) -> ProviderInfo:
    """Return the provider `key`; ValueError for a key no provider has."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise ValueError(f"unknown meeting provider {key!r}; expected one of {PROVIDER_KEYS}") from None


def provider_by_slug(slug: str) -> ProviderInfo | None:
    """Return the OAuth provider whose connect routes use `slug`, or None."""
    return _BY_SLUG.get(slug)


def choice_label(key: str) -> str:
    """Return what the booking form shows for provider `key` (the key itself if unknown)."""
    info = _BY_KEY.get(key)
    return info.choice_label if info else key


def _client_options(config: Mapping) -> dict:
    """Return the HTTP client's (connect, read) timeouts from MEETING_*_TIMEOUT, when set."""
    connect, read = config.get("MEETING_CONNECT_TIMEOUT"), config.get("MEETING_READ_TIMEOUT")
    return {"timeout": (float(connect), float(read))} if connect and read else {}


def build_provider(
    key: str, config: Mapping, token_getter: Callable[[], str] | None = None
) -> MeetingProvider:
    """Build the provider `key` from config; OAuth providers need a token getter.

    Raises ValueError for an unknown key and ProviderAuthError when the provider is not
    connected (no token getter, no API key).
    """
    info = provider_info(key)
    base_url = config.get(info.base_url_setting) or info.default_base_url
    if info.kind == "oauth":
        if token_getter is None:
            raise ProviderAuthError(f"{info.name}: no account is connected")
        return info.provider_class(token_getter, base_url, **_client_options(config))
    if info.kind == "api_key":
        api_key = config.get(info.api_key_setting)
        if not api_key:
            raise ProviderAuthError(f"{info.name}: {info.api_key_setting} is not set")
        return info.provider_class(api_key, base_url, **_client_options(config))
    return info.provider_class(base_url)
