"""'Add to calendar' for a booking: the .ics file and a Google Calendar link."""
from datetime import datetime, timezone
from urllib.parse import urlencode

from webapp.mail.ics import build_calendar
from webapp.models import Booking
from webapp.outbox.actions import mail_settings

GOOGLE_TEMPLATE_URL = "https://calendar.google.com/calendar/render"


def booking_ics(booking: Booking, now: datetime) -> bytes:
    """Return the booking's .ics: the invite, or METHOD:CANCEL once it is cancelled."""
    # Same settings as the emails, so the file's UID matches the invites the client got.
    settings = mail_settings()
    return build_calendar(booking, method="CANCEL" if booking.status == "cancelled" else "REQUEST",
                          organizer_email=settings.from_email,
                          organizer_name=settings.business_name,
                          business_timezone=settings.business_timezone, now=now,
                          uid_domain=settings.uid_domain)


def _google_time(value: datetime) -> str:
    """Format an instant as Google Calendar's UTC basic format."""
    return value.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(booking: Booking) -> str:
    """Return a link that opens Google Calendar's new-event page filled with the booking."""
    params = {
        "action": "TEMPLATE",
        "text": booking.title,
        "dates": f"{_google_time(booking.scheduled_at)}/{_google_time(booking.ends_at)}",
        "details": f"Join: {booking.meeting_url}" if booking.meeting_url else booking.title,
        "ctz": booking.timezone,
    }
    if booking.meeting_url:
        params["location"] = booking.meeting_url
    return f"{GOOGLE_TEMPLATE_URL}?{urlencode(params)}"
