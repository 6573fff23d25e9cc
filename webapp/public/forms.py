"""The booking form a client fills after choosing a time."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from webapp.meetings import choice_label
from webapp.services.consent import CONSENT_LABEL

#: providers whose label has words besides a brand name, in the client's language
PROVIDER_LABELS = {"jitsi": _l("Jitsi Meet (no account needed)")}


def provider_choice(key: str) -> str:
    """Return how a client reads meeting provider `key` (form choice and booking summary), in their language."""
    return str(PROVIDER_LABELS.get(key) or choice_label(key))


class BookingForm(FlaskForm):
    """Client details; the service re-validates everything."""

    start = HiddenField(validators=[DataRequired()])
    tz = HiddenField(validators=[DataRequired()])
    duration = HiddenField(validators=[DataRequired()])
    #: the chosen host's slug (blank: anyone)
    host = HiddenField(validators=[Optional()])
    client_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    client_email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    client_phone = TelField(_l("Phone"), validators=[Optional(), Length(max=40)])
    client_company = StringField(_l("Company"), validators=[Optional(), Length(max=200)])
    title = StringField(_l("Subject"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("What would you like to discuss?"),
                                validators=[Optional(), Length(max=5000)])
    client_notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    meeting_provider = SelectField(_l("Video call"), validators=[DataRequired()])
    #: optional, unticked by default (the consent must be given, never presumed)
    marketing_consent = BooleanField(CONSENT_LABEL, default=False)

    def offer_providers(self, keys: list[str]) -> None:
        """Limit the meeting choices to the enabled providers."""
        self.meeting_provider.choices = [(key, provider_choice(key)) for key in keys]
