"""Run-time settings: database rows over configuration defaults."""
from dataclasses import dataclass, fields, replace

from flask import current_app, g, has_request_context, request

from webapp.branding import DEFAULT_ACCENT
from webapp.extensions import db
from webapp.models import Setting
from webapp.services import config_cache


@dataclass(frozen=True)
class Settings:
    """What an admin can change without a restart."""

    business_name: str
    business_timezone: str
    admin_email: str
    reminder_offsets_hours: list[int]
    embed_allowed_origins: list[str]
    default_meeting_provider: str
    #: clients cannot change a booking this close to its start
    self_service_cutoff_hours: int = 24
    #: hours after a meeting ends when the automatic follow-up goes out (0 = off)
    follow_up_delay_hours: int = 0
    zoom_auto_recording: str = "none"
    #: the business's privacy notice, linked from the booking form ("" = none yet)
    privacy_notice_url: str = ""
    #: days after a booking ends before its personal data is erased (webapp.services.privacy)
    retention_days: int = 365
    #: branding shown on the site, the widget and the emails
    logo_url: str = ""
    accent_color: str = DEFAULT_ACCENT
    #: the language of a client whose browser names neither English nor Italian ("en" or "it")
    default_language: str = "en"


#: the settings configured in the environment: field name, configuration key
CONFIGURED = {"business_name": "BUSINESS_NAME", "business_timezone": "BOOKING_TIMEZONE",
              "admin_email": "ADMIN_EMAIL", "reminder_offsets_hours": "REMINDER_OFFSETS_HOURS",
              "embed_allowed_origins": "EMBED_ALLOWED_ORIGINS",
              "default_meeting_provider": "DEFAULT_MEETING_PROVIDER"}


def defaults() -> Settings:
    """Return the settings as configured in the environment."""
    config = current_app.config
    return Settings(**{name: list(config[key]) if isinstance(config[key], list | tuple) else config[key]
                       for name, key in CONFIGURED.items()})


#: the Settings fields, by name
_NAMES = frozenset(f.name for f in fields(Settings))


def get_settings() -> Settings:
    """Return the current settings: stored rows over the configured defaults, from the process's
    configuration cache (one version query per request when unchanged: `config_cache`).

    Built once per request and snapshot (a page asks several times); anew after a change.
    """
    snapshot = config_cache.current()
    if not has_request_context():
        return _settings(snapshot)
    this_request = request._get_current_object()
    kept = g.get("settings_of")  # g outlives the request when a test shares its app context
    if kept is None or kept[0] is not this_request or kept[1] is not snapshot:
        kept = g.settings_of = (this_request, snapshot, _settings(snapshot))
    return kept[2]


def _settings(snapshot) -> Settings:
    """Return a snapshot's stored settings over the configured defaults (built once per snapshot
    and configured defaults: the key holds every configuration value `defaults` reads)."""
    config = current_app.config
    key = ("settings", *(_frozen(config[name]) for name in CONFIGURED.values()))
    return snapshot.computed.get_or_compute(key, lambda: replace(
        defaults(), **{k: v for k, v in snapshot.stored_settings.items() if k in _NAMES}))


def _frozen(value):
    """Return a configuration value as a hashable key part (lists as tuples)."""
    return tuple(value) if isinstance(value, list | tuple) else value


def save_settings(**changes) -> Settings:
    """Store the given settings and return the result."""
    names = {f.name for f in fields(Settings)}
    unknown = set(changes) - names
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    for key, value in changes.items():
        db.session.merge(Setting(key=key, value=value))
    db.session.commit()  # the flush bumped the configuration version
    return get_settings()


def enabled_providers() -> list[str]:
    """Return the meeting providers a client may choose, the default first (from the configuration cache)."""
    keys = ["jitsi", *config_cache.current().connected_providers]
    if current_app.config.get("WHEREBY_API_KEY"):
        keys.append("whereby")
    default = get_settings().default_meeting_provider
    ordered = sorted(set(keys), key=lambda key: (key != default, key))
    return ordered
