"""'Add to calendar' for a booking: the .ics file and links to Google Calendar, Outlook.com and Office 365."""
from datetime import datetime, timezone
from urllib.parse import urlencode

from webapp.mail.ics import build_calendar
from webapp.mail.language import gettext
from webapp.mail.messages import client_language
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
                          uid_domain=settings.uid_domain, language=client_language(booking))


def _google_time(value: datetime) -> str:
    """Format an instant as Google Calendar's UTC basic format."""
    return value.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _notes(booking: Booking) -> str:
    """Return the web calendar event's notes in the booking's language: the meeting link, else the title."""
    if not booking.meeting_url:
        return booking.title
    return gettext(client_language(booking), "Join: %(url)s", url=booking.meeting_url)


def google_calendar_url(booking: Booking) -> str:
    """Return a link that opens Google Calendar's new-event page filled with the booking."""
    params = {
        "action": "TEMPLATE",
        "text": booking.title,
        "dates": f"{_google_time(booking.scheduled_at)}/{_google_time(booking.ends_at)}",
        "details": _notes(booking),
        "ctz": booking.timezone,
    }
    if booking.meeting_url:
        params["location"] = booking.meeting_url
    return f"{GOOGLE_TEMPLATE_URL}?{urlencode(params)}"


OUTLOOK_HOSTS = {"Outlook.com": "https://outlook.live.com", "Office 365": "https://outlook.office.com"}


def outlook_calendar_url(booking: Booking, host: str) -> str:
    """Return a link that opens Outlook's (outlook.com or Office 365 at `host`) new-event page."""
    params = {
        "path": "/calendar/action/compose", "rru": "addevent", "subject": booking.title,
        "startdt": booking.scheduled_at.astimezone(timezone.utc).isoformat(),
        "enddt": booking.ends_at.astimezone(timezone.utc).isoformat(),
        "body": _notes(booking),
    }
    if booking.meeting_url:
        params["location"] = booking.meeting_url
    return f"{host}/calendar/0/deeplink/compose?{urlencode(params)}"


def add_to_calendar_links(booking: Booking) -> list[tuple[str, str]]:
    """Return (calendar name, link) for every web calendar a client can add the booking to."""
    return [("Google Calendar", google_calendar_url(booking)),
            *((name, outlook_calendar_url(booking, host)) for name, host in OUTLOOK_HOSTS.items())]
