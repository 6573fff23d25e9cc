"""The admin's forms: each turns what was posted into typed values for one service call."""
from dataclasses import fields
from datetime import time
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    ColorField,
    EmailField,
    HiddenField,
    PasswordField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import Regexp, ValidationError

from webapp.admin.form_fields import (
    CheckboxListField,
    ClockField,
    DayField,
    Filled,
    ListedChoiceField,
    NumberListField,
    OptionalChoiceField,
    PlainText,
    WholeNumberField,
    between,
    email_address,
)
from webapp.branding import DEFAULT_ACCENT, accent_problem
from webapp.mail.language import LANGUAGE_NAMES, LANGUAGES, STATUS_LABELS
from webapp.models.booking import BOOKING_STATUSES, MEETING_PROVIDERS
from webapp.models.calendar_source import SOURCE_KINDS
from webapp.models.host import ASSIGNMENT_MODES
from webapp.models.service_type import MAX_DURATION, MIN_DURATION
from webapp.scheduling import is_valid_zone
from webapp.services.availability_admin import MAX_BLOCK_DAYS, MAX_BUFFER_MINUTES
from webapp.services.booking_queries import BookingFilter
from webapp.services.settings import Settings
from webapp.services.settings_admin import ZOOM_RECORDING, parse_origin
from webapp.webhooks.addresses import MAX_URL_LENGTH
from webapp.webhooks.events import (
    BOOKING_CANCELLED,
    BOOKING_CONFIRMED,
    BOOKING_CREATED,
    BOOKING_RESCHEDULED,
    EVENTS,
)

WEEKDAYS = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"),
            _l("Sunday")]
END_AFTER_START = _l("The end must be after the start.")


#: the webhook events as the admin reads them (webapp.webhooks imports nothing of ours, so they are named here)
EVENT_LABELS = {BOOKING_CREATED: _l("A booking is made"), BOOKING_RESCHEDULED: _l("A booking is moved"),
                BOOKING_CANCELLED: _l("A booking is cancelled"), BOOKING_CONFIRMED: _l("A booking is confirmed")}


def _translated(labels: dict[str, str]) -> list[tuple[str, object]]:
    """Return choices whose labels (marked with N_ where they are defined) follow the page's language."""
    return [(key, _l(label)) for key, label in labels.items()]


class AdminForm(FlaskForm):
    """A form whose fields (but the CSRF token) are named like the service's arguments."""

    def values(self) -> dict:
        """Return the typed values by field name, ready to pass to the service."""
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


def _end_after_start(form, field) -> None:
    """Validator: the end time (this field) is later than the form's start_time."""
    start = form.start_time.data
    if field.data is not None and start is not None and field.data <= start:
        raise ValidationError(END_AFTER_START)


class HostChoiceMixin:
    """A form with a `host_id` select: whose weekly hours or blocked dates these are."""

    def offer_hosts(self, hosts, default_id: int | None) -> None:
        """Offer `hosts` (a host login: only their own); a row without a host shows the default host."""
        self.host_id.choices = [(host.id, host.name) for host in hosts]
        if self.host_id.data is None:
            self.host_id.data = default_id if default_id is not None else next(
                (host.id for host in hosts), None)


def _host_field():
    """Return the host select of the rule and block forms (choices from offer_hosts; left out: the default host)."""
    return OptionalChoiceField(_l("Host"), coerce=int, choices=[], message=_l("Choose one of the listed hosts."))


# ---- availability -----------------------------------------------------------------

class RuleForm(HostChoiceMixin, AdminForm):
    """A weekly availability rule; the service checks the type exists and overlaps."""

    host_id = _host_field()
    # choices come from the database (offer_service_types); the service refuses unknown keys
    service_type = SelectField(_l("Service type"), validate_choice=False)
    day_of_week = ListedChoiceField(_l("Day"), coerce=int, choices=list(enumerate(WEEKDAYS)),
                                    validators=[Filled()], message=_l("Choose a day of the week."))
    start_time = ClockField(_l("From"), validators=[Filled()], default=time(9))
    end_time = ClockField(_l("To"), validators=[Filled(), _end_after_start],
                          default=time(17))
    slot_duration = WholeNumberField(_l("Slots every (minutes, 15–180)"), default=30,
                                     validators=[Filled(), between(MIN_DURATION, MAX_DURATION)])
    is_active = BooleanField(_l("Active"), default=True)

    def offer_service_types(self, services) -> None:
        """Offer the service types to choose from."""
        self.service_type.choices = [(service.key, service.name) for service in services]


class BlockForm(HostChoiceMixin, AdminForm):
    """Blocking a day or a range of days, all day or between two times."""

    host_id = _host_field()
    date_from = DayField(_l("From (day)"), validators=[Filled()])
    date_to = DayField(_l("To (day, optional: for a range)"))
    all_day = BooleanField(_l("All day"), default=True)
    start_time = ClockField(_l("Start time (part of a day)"))
    end_time = ClockField(_l("End time (part of a day)"), validators=[_end_after_start])
    reason = StringField(_l("Reason"), validators=[PlainText(200, required=True)])
    description = TextAreaField(_l("Description"), validators=[PlainText(5000, multiline=True)])

    def validate_date_to(self, field) -> None:
        """The range runs forwards and is not longer than MAX_BLOCK_DAYS."""
        first, last = self.date_from.data, field.data
        if first is None or last is None:
            return
        if last < first:
            raise ValidationError(_("The last day must not be before the first."))
        if (last - first).days >= MAX_BLOCK_DAYS:
            raise ValidationError(f"Block at most {MAX_BLOCK_DAYS} days at once.")

    def validate_start_time(self, field) -> None:
        """Part of a day needs its start."""
        self._needed_unless_all_day(field)

    def validate_end_time(self, field) -> None:
        """Part of a day needs its end."""
        self._needed_unless_all_day(field)

    def _needed_unless_all_day(self, field) -> None:
        """Refuse a blank time when the block is not all day (a bad time is told already)."""
        if not self.all_day.data and field.data is None and not field.errors:
            raise ValidationError(_("This field is required."))


# ---- service types ----------------------------------------------------------------

class ServiceTypeForm(AdminForm):
    """A service type's settings; the default duration is always bookable."""

    name = StringField(_l("Name"), validators=[PlainText(120, required=True)])
    default_duration = WholeNumberField(_l("Default duration (minutes)"), default=30,
                                        validators=[Filled(), between(MIN_DURATION, MAX_DURATION)])
    allowed_durations = NumberListField(_l("Other durations (minutes, comma separated)"),
                                        low=MIN_DURATION, high=MAX_DURATION, default=list)
    buffer_before = WholeNumberField(_l("Buffer before (minutes)"), blank=0, default=0,
                                     validators=[between(0, MAX_BUFFER_MINUTES)])
    buffer_after = WholeNumberField(_l("Buffer after (minutes)"), blank=0, default=0,
                                    validators=[between(0, MAX_BUFFER_MINUTES)])
    min_notice_minutes = WholeNumberField(_l("Minimum notice (minutes)"), blank=0, default=120,
                                          validators=[between(0, 60 * 24 * 60)])
    max_days_ahead = WholeNumberField(_l("Bookable up to (days ahead)"), default=60,
                                      validators=[Filled(), between(1, 730)])
    requires_approval = BooleanField(_l("Requires approval"))
    description = TextAreaField(_l("Description"), validators=[PlainText(5000, multiline=True)])


class NewServiceTypeForm(ServiceTypeForm):
    """A new service type: its settings plus the key, which cannot change later."""

    key = StringField(_l("Key (in URLs, cannot change later)"), validators=[
        PlainText(40, required=True),
        Regexp(r"^[a-z0-9][a-z0-9_-]{0,39}$", message=_l("Use lowercase letters, digits, - and _ only."))])


ASSIGNMENT_LABELS = {
    "client_chooses": _l("The client chooses a host (or anyone)"),
    "round_robin": _l("Round-robin: any free host, the least busy first"),
    "collective": _l("Collective: every listed host together"),
}


class ServiceHostsForm(AdminForm):
    """Who gives a service type and how a booking gets its host(s)."""

    host_ids = CheckboxListField(_l("Hosts (none: the default host)"), coerce=int, choices=[],
                                 message=_l("Choose hosts from the list."))
    assignment = ListedChoiceField(_l("Assignment"), choices=[(mode, ASSIGNMENT_LABELS[mode])
                                                          for mode in ASSIGNMENT_MODES],
                                   default="client_chooses", message=_l("Choose one of the listed modes."))

    def offer_hosts(self, hosts) -> None:
        """Offer every host as a checkbox."""
        self.host_ids.choices = [(host.id, host.name if host.active else _("%(name)s (inactive)", name=host.name))
                                 for host in hosts]


# ---- settings ---------------------------------------------------------------------

def _iana_zone(form, field) -> None:
    """Validator: an IANA time zone name."""
    field.data = (field.data or "").strip()
    if not is_valid_zone(field.data):
        raise ValidationError(_("Choose an IANA time zone such as Europe/Rome."))


class OriginListField(TextAreaField):
    """Web origins (scheme://host[:port]), one per line or comma; the data is a sorted list."""

    def process_formdata(self, valuelist):
        """Read and normalise the origins; the first one that is not an origin is named."""
        if not valuelist:
            return
        self.data = []
        items = [item.strip() for item in str(valuelist[0]).replace(",", "\n").splitlines() if item.strip()]
        origins = set()
        for item in items:
            origin = parse_origin(item)
            if origin is None:
                raise ValueError(_("%(item)s is not an origin like https://example.com.", item=repr(item)))
            origins.add(origin)
        self.data = sorted(origins)

    def _value(self) -> str:
        """Show what was typed, else one origin per line."""
        return self.raw_data[0] if self.raw_data else "\n".join(self.data or [])


def _optional_email(form, field) -> None:
    """Validator: blank (stored as ""), or an email address."""
    if not (field.data or "").strip():
        field.data = ""
        return
    email_address(form, field)


def _optional_web_address(form, field) -> None:
    """Validator: blank (stored as ""), or an http(s) address with a host (no javascript: links)."""
    field.data = (field.data or "").strip()
    if not field.data:
        return
    parts = urlsplit(field.data)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(field.data) > 500 \
            or any(ch.isspace() or ord(ch) < 32 for ch in field.data):
        raise ValidationError(_("Give an address starting with https:// (at most 500 characters)."))


def _logo_address(form, field) -> None:
    """Accept no logo, an https:// image address or a path on this site."""
    value = (field.data or "").strip()
    field.data = value
    if value and not (value.startswith("https://") or (value.startswith("/") and not value.startswith("//"))):
        raise ValidationError(_("Use an address that starts with https:// "
                                "(or a path on this site, such as /static/logo.png)."))


def _readable_accent(form, field) -> None:
    """Accept a #rrggbb colour that white text stays readable on (blank: the site's own)."""
    field.data = (field.data or "").strip().lower() or DEFAULT_ACCENT
    problem = accent_problem(field.data)
    if problem:
        raise ValidationError(problem)


class SettingsForm(AdminForm):
    """Everything on the settings page; its field names are Settings' fields."""

    business_name = StringField(_l("Business name"), validators=[PlainText(120, required=True)])
    business_timezone = StringField(_l("Business time zone"), validators=[_iana_zone])
    admin_email = EmailField(_l("Admin notification email"), validators=[_optional_email])
    reminder_offsets_hours = NumberListField(_l("Reminders (hours before, comma separated)"),
                                             low=1, high=24 * 14)
    embed_allowed_origins = OriginListField(
        _l("Sites allowed to embed the widget (one origin per line, e.g. https://partner.example)"))
    default_meeting_provider = ListedChoiceField(_l("Default meeting provider"), choices=MEETING_PROVIDERS,
                                                 message=_l("Choose one of the listed providers."))
    self_service_cutoff_hours = WholeNumberField(_l("Clients may change a booking until (hours before)"),
                                                 validators=[Filled(), between(0, 24 * 30)])
    follow_up_delay_hours = WholeNumberField(_l("Automatic follow-up after the meeting (hours, 0 = off)"),
                                             validators=[Filled(), between(0, 24 * 60)])
    zoom_auto_recording = ListedChoiceField(_l("Zoom meetings: recording"), choices=_translated(ZOOM_RECORDING),
                                            message=_l("Choose one of the listed recording options."))
    privacy_notice_url = URLField(_l("Privacy notice (address linked from the booking form)"),
                                  validators=[_optional_web_address])
    retention_days = WholeNumberField(_l("Erase clients' details this many days after a booking ends "
                                      "(blank: 365)"), blank=365, validators=[between(1, 3650)])
    logo_url = StringField(_l("Logo (an https:// address of an image, shown beside the business name)"),
                           validators=[PlainText(500), _logo_address])
    accent_color = ColorField(_l("Accent colour (buttons and links on the site, the widget and the emails)"),
                              validators=[_readable_accent])
    default_language = ListedChoiceField(_l("Clients' language when their browser names none we offer"),
                                         choices=list(LANGUAGE_NAMES.items()),
                                         message=_l("Choose one of the listed languages."))

    def offer_providers(self, labelled: list[tuple[str, str]]) -> None:
        """Show the providers with their labels."""
        self.default_meeting_provider.choices = labelled

    def values(self) -> dict:
        """Return the settings to store, by Settings' field names."""
        return {item.name: self[item.name].data for item in fields(Settings)}


# ---- hosts ------------------------------------------------------------------------

class HostForm(AdminForm):
    """A host's details; the service checks the email, zone and address (slug)."""

    name = StringField(_l("Name"), validators=[PlainText(120, required=True)])
    slug = StringField(_l("Public address (/with/…; blank: from the name)"), validators=[PlainText(60)])
    email = EmailField(_l("Email (their notices; never shown publicly)"), validators=[PlainText(254)])
    photo_url = URLField(_l("Photo URL (optional)"), validators=[PlainText(500)])
    timezone = StringField(_l("Time zone of their hours"), validators=[_iana_zone])
    priority = WholeNumberField(_l("Round-robin priority (higher first on a tie)"), blank=0, default=0,
                                validators=[between(-1000, 1000)])
    active = BooleanField(_l("Active (clients can book them)"), default=True)
    admin_user_id = OptionalChoiceField(_l("Login (a host login sees only this host's calendar)"), coerce=int,
                                        choices=[], message=_l("Choose one of the listed logins."))

    def offer_logins(self, admins) -> None:
        """Offer the admin accounts this host may log in with (or none)."""
        self.admin_user_id.choices = [("", _("No login"))] + [
            (admin.id, f"{admin.email} ({admin.role})") for admin in admins]


# ---- webhooks ---------------------------------------------------------------------

class WebhookForm(AdminForm):
    """A webhook endpoint; the service checks the address (scheme, and where it resolves to)."""

    url = URLField(_l("Receiver URL (https://…)"), validators=[PlainText(MAX_URL_LENGTH, required=True)])
    events = CheckboxListField(_l("Events"), choices=list(EVENT_LABELS.items()), default=list(EVENTS),
                               message=_l("Choose only the listed events."))
    is_active = BooleanField(_l("Active"), default=True)


# ---- privacy ----------------------------------------------------------------------

class PrivacyRequestForm(AdminForm):
    """A client's access or erasure request: their email address."""

    email = EmailField(_l("Client's email address"), validators=[Filled(), email_address])


class ErasureConfirmForm(PrivacyRequestForm):
    """The erasure's second step: the address as checked, and the admin's confirmation."""

    email = HiddenField(validators=[Filled(), email_address])
    confirmed = HiddenField(default="yes")


class AuditFilterForm(FlaskForm):
    """The audit log's filter, read from the address (a GET form: no CSRF token)."""

    class Meta:
        """GET forms change nothing, so they carry no token."""

        csrf = False

    booking = StringField(_l("Booking (id or uid)"), validators=[PlainText(32)])


# ---- outside calendars ------------------------------------------------------------

class CalendarSourceForm(AdminForm):
    """A host's outside calendar; the service checks the host, the kind and the address."""

    host_id = ListedChoiceField(_l("Host"), coerce=int, validators=[Filled()], message=_l("Choose a host."))
    kind = ListedChoiceField(_l("Kind"), choices=_translated(SOURCE_KINDS), default="caldav",
                             message=_l("Choose one of the listed kinds."))
    name = StringField(_l("Name"), validators=[PlainText(120, required=True)])
    url = URLField(_l("Address (CalDAV server or .ics feed URL; empty for Google and Microsoft)"),
                   validators=[PlainText(2000)])
    username = StringField(_l("User name (CalDAV)"), validators=[PlainText(254)])
    password = PasswordField(_l("App password (CalDAV; leave empty to keep the stored one)"),
                             validators=[PlainText(500)])
    calendars = StringField(_l("Calendars to read, comma-separated (CalDAV names, empty: all; Google ids, "
                            "empty: primary; Microsoft mailbox addresses, empty: the host's)"),
                            validators=[PlainText(1000)])
    write_calendar = StringField(_l("Write bookings into this calendar (CalDAV name; Google calendar id, e.g. "
                                    "primary; Microsoft calendar id, or default; empty: none)"),
                                 validators=[PlainText(254)])
    all_day_blocks = BooleanField(_l("All-day events block the whole day"), default=True)
    tentative_busy = BooleanField(_l("Tentative events count as busy"), default=True)
    is_active = BooleanField(_l("Active"), default=True)

    def offer_hosts(self, hosts) -> None:
        """Offer the hosts to choose from."""
        self.host_id.choices = [(host.id, host.name) for host in hosts]

    def values(self) -> dict:
        """Return the service's arguments; the calendars as a list of names."""
        values = super().values()
        values["calendars"] = [name.strip() for name in (values["calendars"] or "").split(",") if name.strip()]
        return values


# ---- login and account -----------------------------------------------------------

class LoginForm(FlaskForm):
    """Email and password; the account service decides, with one answer for every refusal."""

    email = EmailField(_l("Email"), validators=[Filled()])
    password = PasswordField(_l("Password"), validators=[Filled()])
    next = HiddenField()


class LanguageForm(AdminForm):
    """The signed-in admin's language for the admin pages, and the page to show again."""

    language = ListedChoiceField(_l("Language"), choices=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
                                 validators=[Filled()], message=_l("Choose one of the listed languages."))
    next = HiddenField()


# ---- one booking ------------------------------------------------------------------

class BookingPanelForm(AdminForm):
    """A form on a booking's page; `slot` is its name in the page's context."""

    slot = ""

    @classmethod
    def fresh(cls, booking) -> "BookingPanelForm":
        """Return the form as the page first shows it for `booking`."""
        return cls(formdata=None)


class CancelForm(BookingPanelForm):
    """Cancelling with a reason the client is sent."""

    slot = "cancel_form"
    cancellation_reason = TextAreaField(_l("Reason (sent to the client)"),
                                        validators=[PlainText(2000, multiline=True)])


class NotesForm(BookingPanelForm):
    """The booking's internal notes."""

    slot = "notes_form"
    internal_notes = TextAreaField(_l("Notes (never shown to the client)"),
                                   validators=[PlainText(10000, multiline=True)])

    @classmethod
    def fresh(cls, booking) -> "NotesForm":
        """Return the form holding the notes as stored."""
        return cls(formdata=None, internal_notes=booking.internal_notes)


class FollowUpForm(BookingPanelForm):
    """A follow-up message to the client."""

    slot = "follow_up_form"
    subject = StringField(_l("Subject"), validators=[PlainText(200, required=True)])
    message = TextAreaField(_l("Message"), validators=[PlainText(10000, required=True, multiline=True)])


def booking_forms(booking, posted: BookingPanelForm | None = None) -> dict:
    """Return the booking page's forms by slot: fresh ones, and `posted` (as sent) in its own."""
    return {cls.slot: posted if isinstance(posted, cls) else cls.fresh(booking)
            for cls in (CancelForm, NotesForm, FollowUpForm)}


# ---- the bookings list ------------------------------------------------------------

class BookingFilterForm(FlaskForm):
    """The bookings list's filters, read from the address (a GET form: no CSRF token)."""

    class Meta:
        """GET forms change nothing, so they carry no token."""

        csrf = False

    q = SearchField(_l("Search"), validators=[PlainText(200)])
    status = ListedChoiceField(_l("Status"), choices=[("", _l("Any"))] + [(value, _l(STATUS_LABELS[value]))
                                                                  for value in BOOKING_STATUSES],
                               default="", message=_l("Unknown status."))
    service_type = StringField(_l("Service type"), validators=[PlainText(200)])
    date_from = DayField(_l("From"))
    date_to = DayField(_l("To"))

    def filter(self) -> BookingFilter:
        """Return the typed filter (valid form only)."""
        return BookingFilter(status=self.status.data or None, service_type=self.service_type.data or None,
                             date_from=self.date_from.data, date_to=self.date_to.data, q=self.q.data or None)
