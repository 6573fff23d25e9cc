"""What the booking form tells a client about their data, and the marketing consent it records."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from webapp.mail.language import N_
from webapp.services.settings import get_settings

#: the optional box's wording; change CONSENT_VERSION whenever it changes, so every
#: recorded consent names the text the client actually saw
CONSENT_TEXT = N_("Yes, you may email me about news and offers after my appointment "
                  "(optional; I can withdraw at any time).")
#: the box's label on the form, in the client's language
CONSENT_LABEL = _l(CONSENT_TEXT)
CONSENT_VERSION = "marketing-2026-01"


@dataclass(frozen=True)
class PrivacyTerms:
    """What the booking form shows under the client's fields."""

    notice_url: str
    retention_days: int
    consent_text: str = CONSENT_TEXT


def privacy_terms() -> PrivacyTerms:
    """Return the current privacy terms (the notice link and retention from the settings)."""
    settings = get_settings()
    return PrivacyTerms(notice_url=settings.privacy_notice_url, retention_days=settings.retention_days)


def consent_record(given: bool, now: datetime) -> dict:
    """Return the booking fields recording the client's answer to the marketing box."""
    if not given:
        return {"marketing_consent": False, "marketing_consent_at": None, "marketing_consent_version": None}
    return {"marketing_consent": True, "marketing_consent_at": now,
            "marketing_consent_version": CONSENT_VERSION}
