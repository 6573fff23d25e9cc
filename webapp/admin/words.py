"""The admin's words for stored codes (statuses, outbox kinds, languages) and its CLDR dates, in the page's language."""
from webapp.admin.blueprint import bp
from webapp.i18n import current_language
from webapp.mail.language import LANGUAGE_NAMES, N_, formatted_date, gettext, language_or_default, weekday_names
from webapp.mail.language import status_label as status_in

#: an outbox row's status as the admin reads it
OUTBOX_STATUS_LABELS = {"pending": N_("waiting"), "sending": N_("sending"),
                        "sent": N_("sent"), "failed": N_("failed"),
                        "skipped": N_("skipped")}
#: what an outbox row does, as the admin reads it (English: the kind's name; a kind not listed shows its name)
OUTBOX_KIND_LABELS = {
    "confirmation": N_("confirmation"), "pending_approval": N_("pending approval"),
    "reminder": N_("reminder"), "update": N_("update"),
    "cancellation": N_("cancellation"), "admin_new_booking": N_("admin new booking"),
    "admin_cancellation": N_("admin cancellation"), "follow_up": N_("follow up"),
    "manage_links": N_("manage links"), "meeting_link": N_("meeting link"),
    "meeting_create": N_("meeting create"), "meeting_update": N_("meeting update"),
    "meeting_delete": N_("meeting delete"), "webhook": N_("webhook"),
    "calendar_refresh": N_("calendar refresh"),
    "calendar_event_put": N_("calendar event put"),
    "calendar_event_delete": N_("calendar event delete"),
}


@bp.app_template_global("status_label")
def status_label(status: str) -> str:
    """Return a booking status in the page's language, e.g. 'in attesa' for 'pending'."""
    return status_in(status, current_language())


@bp.app_template_global("outbox_status")
def outbox_status(status: str) -> str:
    """Return an outbox row's status in the page's language (an unknown one as it is)."""
    label = OUTBOX_STATUS_LABELS.get(status)
    return gettext(current_language(), label) if label else status


@bp.app_template_global("outbox_kind")
def outbox_kind(kind: str) -> str:
    """Return what an outbox row does in the page's language, e.g. 'promemoria' for 'reminder'."""
    label = OUTBOX_KIND_LABELS.get(kind)
    return gettext(current_language(), label) if label else kind.replace("_", " ")


@bp.app_template_global("language_name")
def language_name(code: str | None) -> str:
    """Return what a stored language is called in itself, e.g. 'Italiano' (English for none)."""
    return LANGUAGE_NAMES[language_or_default(code)]


@bp.app_template_filter("day_format")
def day_format(day, pattern: str) -> str:
    """Return a date in a CLDR `pattern` in the page's language, e.g. 'lun 7 gen' for 'EEE d MMM'."""
    return formatted_date(day, pattern, current_language())


@bp.app_template_global("weekday_headings")
def weekday_headings() -> list[str]:
    """Return the abbreviated weekday names, Monday first (the admin's month grid), in the page's language."""
    return weekday_names(current_language())
