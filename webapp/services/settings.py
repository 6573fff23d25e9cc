"""Run-time settings: database rows over configuration defaults."""
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace

from flask import current_app

from webapp.branding import DEFAULT_ACCENT
from webapp.extensions import db
from webapp.models import ProviderIntegration, Setting


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


def defaults() -> Settings:
    """Return the settings as configured in the environment."""
    config = current_app.config
    return Settings(
        business_name=config["BUSINESS_NAME"],
        business_timezone=config["BOOKING_TIMEZONE"],
        admin_email=config["ADMIN_EMAIL"],
        reminder_offsets_hours=list(config["REMINDER_OFFSETS_HOURS"]),
        embed_allowed_origins=list(config["EMBED_ALLOWED_ORIGINS"]),
        default_meeting_provider=config["DEFAULT_MEETING_PROVIDER"],
    )


#: the settings read in the current unit of work; None (the default) reads them every time.
#: The web layer opens one unit per request (pages ask for the settings several times).
_read_once: ContextVar[dict | None] = ContextVar("settings_read_once", default=None)


def start_reading_once() -> None:
    """From now on in this context, read the settings at most once (until `stop_reading_once`)."""
    _read_once.set({})


def stop_reading_once() -> None:
    """Forget the settings kept since `start_reading_once`; later reads query again."""
    _read_once.set(None)


def get_settings() -> Settings:
    """Return the current settings (one query, at most once per unit of work)."""
    kept = _read_once.get()
    if kept is not None and "settings" in kept:
        return kept["settings"]
    names = {f.name for f in fields(Settings)}
    stored = {row.key: row.value for row in db.session.scalars(db.select(Setting))}
    settings = replace(defaults(), **{k: v for k, v in stored.items() if k in names})
    if kept is not None:
        kept["settings"] = settings
    return settings


def save_settings(**changes) -> Settings:
    """Store the given settings and return the result."""
    names = {f.name for f in fields(Settings)}
    unknown = set(changes) - names
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    for key, value in changes.items():
        db.session.merge(Setting(key=key, value=value))
    db.session.commit()
    kept = _read_once.get()
    if kept is not None:
        kept.pop("settings", None)
    return get_settings()


def enabled_providers() -> list[str]:
    """Return the meeting providers a client may choose, the default first."""
    connected = db.session.scalars(
        db.select(ProviderIntegration.provider).where(ProviderIntegration.status == "connected")
    ).all()
    keys = ["jitsi", *connected]
    if current_app.config.get("WHEREBY_API_KEY"):
        keys.append("whereby")
    default = get_settings().default_meeting_provider
    ordered = sorted(set(keys), key=lambda key: (key != default, key))
    return ordered
