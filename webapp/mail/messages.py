"""Build each kind of booking email (text + HTML from templates/emails/, .ics invites)."""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from webapp.mail.clean import one_line
from webapp.mail.ics import build_calendar
from webapp.mail.language import LANGUAGE_NAMES, N_, gettext, language_or_default, status_label
from webapp.mail.outgoing import Attachment, OutgoingEmail
from webapp.mail.rendering import render_email
from webapp.mail.timefmt import format_short, zoned_spans

__all__ = ["Attachment", "MailSettings", "OutgoingEmail", "admin_cancellation", "admin_new_booking", "cancellation",
           "confirmation", "follow_up", "manage_links", "notice_recipients", "pending_approval", "reminder",
           "update"]


@dataclass(frozen=True)
class MailSettings:
    """Who sends, for which business, and in which zone the business lives."""

    business_name: str
    business_timezone: str
    from_email: str
    from_name: str
    admin_email: str | None = None
    reply_to: str | None = None
    #: right-hand side of .ics UIDs; defaults to the sender's domain (keep it stable)
    uid_domain: str | None = None
    #: the business's accent (#rrggbb): the emails' header rule and buttons
    accent_color: str = "#2457c5"
    #: the business's language: the admins' notices when their accounts name none
    default_language: str = "en"

    @property
    def invite_domain(self) -> str:
        """Return the right-hand side of the invites' UIDs."""
        return self.uid_domain or self.from_email.rpartition("@")[2]

    @classmethod
    def from_config(cls, config: Mapping) -> "MailSettings":
        """Read BUSINESS_NAME, BOOKING_TIMEZONE, FROM_*, ADMIN_EMAIL and MAIL_REPLY_TO."""
        return cls(
            business_name=config.get("BUSINESS_NAME") or config["FROM_NAME"],
            business_timezone=config.get("BOOKING_TIMEZONE") or "UTC",
            from_email=config["FROM_EMAIL"],
            from_name=config["FROM_NAME"],
            admin_email=config.get("ADMIN_EMAIL") or None,
            reply_to=config.get("MAIL_REPLY_TO") or None,
        )


def confirmation(booking, *, settings: MailSettings, manage_url: str,
                 now: datetime) -> OutgoingEmail:
    """Tell the client the booking is confirmed, with the invite attached."""
    return _to_client("confirmation", booking, settings, _subject(booking, N_("Confirmed: %(headline)s")),
                      manage_url=manage_url, invite=_invite(booking, settings, "REQUEST", now))


def meeting_link(booking, *, settings: MailSettings, manage_url: str) -> OutgoingEmail:
    """Send the meeting link that was not ready when the confirmation went out."""
    return _to_client("meeting_link", booking, settings, _subject(booking, N_("Meeting link: %(headline)s")),
                      manage_url=manage_url)


def pending_approval(booking, *, settings: MailSettings, manage_url: str) -> OutgoingEmail:
    """Tell the client the request arrived and waits for the business's approval."""
    return _to_client("pending_approval", booking, settings,
                      _subject(booking, N_("Received, awaiting approval: %(headline)s")), manage_url=manage_url)


def reminder(booking, *, settings: MailSettings, manage_url: str) -> OutgoingEmail:
    """Remind the client of an upcoming booking."""
    return _to_client("reminder", booking, settings, _subject(booking, N_("Reminder: %(headline)s")),
                      manage_url=manage_url)


def update(booking, *, settings: MailSettings, manage_url: str, now: datetime,
           previous_start: datetime | None = None,
           previous_end: datetime | None = None) -> OutgoingEmail:
    """Tell the client the booking moved, with the updated invite (higher SEQUENCE)."""
    previous = (zoned_spans(previous_start, previous_end, booking.timezone,
                            settings.business_timezone, client_language(booking))
                if previous_start and previous_end else [])
    return _to_client("update", booking, settings, _subject(booking, N_("Rescheduled: %(headline)s")),
                      manage_url=manage_url, invite=_invite(booking, settings, "REQUEST", now),
                      previous_when=previous)


def cancellation(booking, *, settings: MailSettings, now: datetime,
                 book_url: str | None = None) -> OutgoingEmail:
    """Tell the client the booking is cancelled, with METHOD:CANCEL to clear their calendar."""
    return _to_client("cancellation", booking, settings, _subject(booking, N_("Cancelled: %(headline)s")),
                      invite=_invite(booking, settings, "CANCEL", now), book_url=book_url)


def follow_up(booking, message, *, settings: MailSettings,
              manage_url: str | None = None) -> OutgoingEmail:
    """Send a BookingFollowUp's subject and message to the client."""
    return _to_client("follow_up", booking, settings, message.subject,
                      manage_url=manage_url, follow_up=message)


def admin_new_booking(booking, *, settings: MailSettings, admin_url: str | None = None,
                      language: str | None = None) -> OutgoingEmail:
    """Tell the business about a new booking (in `language`, else the business's); replies go to the client."""
    return _admin_notice(booking, settings, "new", N_("New booking: %(client)s – %(headline)s"),
                         admin_url, language)


def admin_cancellation(booking, *, settings: MailSettings, admin_url: str | None = None,
                       language: str | None = None) -> OutgoingEmail:
    """Tell the business that a booking was cancelled, with the reason."""
    return _admin_notice(booking, settings, "cancelled", N_("Booking cancelled: %(client)s – %(headline)s"),
                         admin_url, language)


def notice_recipients(booking, admin_email: str | None) -> list[str]:
    """Return who hears of a new or cancelled booking: the business's address and the booking's hosts."""
    hosts = getattr(booking, "hosts", None) or []
    return list(dict.fromkeys(address for address in [admin_email, *(host.email for host in hosts)] if address))


def _organizer(booking, settings: MailSettings) -> tuple[str, str]:
    """Return the invite's organizer: the booking's first host, else the business's sender."""
    hosts = [host for host in getattr(booking, "hosts", None) or [] if host.email]
    return (hosts[0].email, hosts[0].name) if hosts else (settings.from_email, settings.business_name)


def _admin_notice(booking, settings: MailSettings, event: str, subject: str,
                  admin_url: str | None, language: str | None) -> OutgoingEmail:
    """Render the business's and the hosts' notice of `event` ("new" or "cancelled") for a booking.

    It is written in `language` (the recipients' admin UI language), else the business's.
    """
    recipients = notice_recipients(booking, settings.admin_email)
    if not recipients:
        raise ValueError("no admin address (ADMIN_EMAIL) or host to notify")
    language = language_or_default(language, settings.default_language)
    context = _booking_context(booking, settings, language, admin_url=admin_url, event=event,
                               status_label=status_label(booking.status, language),
                               client_language_name=LANGUAGE_NAMES[client_language(booking)])
    return _render("admin_notice", settings, recipients,
                   gettext(language, subject, client=booking.client_name,
                           headline=_headline(booking, language)),
                   context, reply_to=one_line(booking.client_email), language=language)


def manage_links(email: str, entries: Iterable[tuple[object, str]], *,
                 settings: MailSettings, language: str | None = None) -> OutgoingEmail:
    """Send a client the manage links of their bookings ("lost your link") in `language`.

    `language` is the page's the client asked from; without it (a row queued before languages)
    the language of their latest booking.
    """
    entries = list(entries)
    language = language_or_default(language, client_language(entries[-1][0]) if entries else "en")
    items = [_booking_context(booking, settings, language, manage_url=url) for booking, url in entries]
    return _render("manage_links", settings, [email],
                   gettext(language, "Your bookings with %(business)s", business=settings.business_name),
                   {"items": items}, language=language)


def _to_client(kind: str, booking, settings: MailSettings, subject: str, *,
               invite: Attachment | None = None, **extra) -> OutgoingEmail:
    """Render a `kind` email to the booking's client."""
    context = _booking_context(booking, settings, **extra)
    return _render(kind, settings, [booking.client_email], subject, context,
                   attachments=[invite] if invite else [], language=client_language(booking))


def _booking_context(booking, settings: MailSettings, language: str | None = None, **extra) -> dict:
    """Return the template variables every booking email shares (times in `language`, else the client's)."""
    when = zoned_spans(booking.scheduled_at, booking.ends_at, booking.timezone,
                       settings.business_timezone, language or client_language(booking))
    return {"booking": booking, "when": when, **extra}


def _render(kind: str, settings: MailSettings, to: list[str], subject: str, context: dict, *,
            attachments: list[Attachment] | None = None,
            reply_to: str | None = None, language: str = "en") -> OutgoingEmail:
    """Render templates/emails/<kind>.txt and .html (in `language`) into an OutgoingEmail."""
    context = {"business_name": settings.business_name, "accent_color": settings.accent_color,
               "business_timezone": settings.business_timezone, "subject": subject, **context}
    return OutgoingEmail(
        to=[one_line(address) for address in to],
        subject=one_line(subject),
        text=render_email(f"emails/{kind}.txt", context, language),
        html=render_email(f"emails/{kind}.html", context, language),
        from_email=settings.from_email,
        from_name=settings.from_name,
        reply_to=reply_to or settings.reply_to,
        attachments=attachments or [],
    )


def client_language(booking) -> str:
    """Return the language the booking's client chose ("en" for a booking stored before languages)."""
    return language_or_default(getattr(booking, "locale", None))


def _subject(booking, message: str) -> str:
    """Return a client email's subject: `message` in the client's language around the headline."""
    language = client_language(booking)
    return gettext(language, message, headline=_headline(booking, language))


def _headline(booking, language: str = "en") -> str:
    """Return 'Title, Mon 30 Mar 2026 09:00 CEST' in the client's zone and language."""
    return f"{booking.title}, {format_short(booking.scheduled_at, booking.timezone, language)}"


def _invite(booking, settings: MailSettings, method: str, now: datetime) -> Attachment:
    """Return the booking's .ics (REQUEST or CANCEL) as the invite.ics attachment."""
    organizer_email, organizer_name = _organizer(booking, settings)
    # the .ics UID keeps the sender's domain, so it stays stable whoever organizes
    data = build_calendar(booking, method=method, organizer_email=organizer_email,
                          organizer_name=organizer_name,
                          business_timezone=settings.business_timezone, now=now,
                          uid_domain=settings.invite_domain,
                          language=client_language(booking))
    return Attachment("invite.ics", f"text/calendar; method={method}; charset=UTF-8", data,
                      inline_method=method)
