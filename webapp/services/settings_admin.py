"""Checking the settings form before save_settings stores it."""
from collections.abc import Mapping
from urllib.parse import urlsplit

from webapp.models.booking import MEETING_PROVIDERS
from webapp.scheduling import is_valid_zone
from webapp.services.admin_fields import AdminFieldErrors
from webapp.services.settings import Settings, save_settings


def update_settings(data: Mapping) -> Settings:
    """Validate the settings form and store it; raise ValidationFailed and store nothing."""
    errors = AdminFieldErrors()
    changes = {
        "business_name": errors.text("business_name", data.get("business_name"), required=True,
                                     max_length=120),
        "business_timezone": _zone(errors, data.get("business_timezone")),
        "admin_email": errors.email("admin_email", data.get("admin_email"))
        if str(data.get("admin_email") or "").strip() else "",
        "reminder_offsets_hours": errors.number_list(
            "reminder_offsets_hours", data.get("reminder_offsets_hours"), low=1, high=24 * 14),
        "embed_allowed_origins": _origins(errors, data.get("embed_allowed_origins")),
        "default_meeting_provider": _provider(errors, data.get("default_meeting_provider")),
        "self_service_cutoff_hours": errors.integer(
            "self_service_cutoff_hours", data.get("self_service_cutoff_hours"), low=0, high=24 * 30),
        "follow_up_delay_hours": errors.integer(
            "follow_up_delay_hours", data.get("follow_up_delay_hours"), low=0, high=24 * 60),
        "zoom_auto_recording": _recording(errors, data.get("zoom_auto_recording", "none")),
    }
    errors.raise_if_any()
    return save_settings(**changes)


def _zone(errors: AdminFieldErrors, value) -> str | None:
    """Check an IANA zone name."""
    value = str(value or "").strip()
    if not is_valid_zone(value):
        errors["business_timezone"] = "Choose an IANA time zone such as Europe/Rome."
    return value


def _provider(errors: AdminFieldErrors, value) -> str | None:
    """Check a meeting provider key."""
    if value not in MEETING_PROVIDERS:
        errors["default_meeting_provider"] = "Choose one of the listed providers."
    return value


#: Zoom's auto_recording values
ZOOM_RECORDING = {"none": "No recording", "local": "Record on the host's computer",
                  "cloud": "Record to the Zoom cloud"}


def _recording(errors: AdminFieldErrors, value) -> str | None:
    """Check a Zoom recording option."""
    if value not in ZOOM_RECORDING:
        errors["zoom_auto_recording"] = "Choose one of the listed recording options."
    return value


def _origins(errors: AdminFieldErrors, value) -> list[str]:
    """Check embed origins, one per line or comma: scheme://host[:port], nothing more."""
    items = [item.strip() for item in str(value or "").replace(",", "\n").splitlines() if item.strip()]
    clean = []
    for item in items:
        origin = _origin(item)
        if origin is None:
            errors["embed_allowed_origins"] = f"{item!r} is not an origin like https://example.com."
            return []
        clean.append(origin)
    return sorted(set(clean))


def _origin(text: str) -> str | None:
    """Return `text` normalised if it is exactly scheme://host[:port], else None."""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username is not None:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.password:
        return None
    host = parts.hostname.lower()
    if any(ch in host for ch in " *\\") or text.rstrip("/").count("/") != 2:
        return None
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")
