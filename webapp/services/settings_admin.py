"""What the settings page offers beyond Settings itself: Zoom's recording options and embed origins."""
from urllib.parse import urlsplit

from webapp.mail.language import N_

#: Zoom's auto_recording values
ZOOM_RECORDING = {"none": N_("No recording"), "local": N_("Record on the host's computer"),
                  "cloud": N_("Record to the Zoom cloud")}


def parse_origin(text: str) -> str | None:
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
