"""Forms a client posts from the manage pages (each carries its CSRF token)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class CancelForm(FlaskForm):
    """Confirm a cancellation, optionally saying why."""

    cancellation_reason = TextAreaField(_l("Reason (optional)"),
                                        validators=[Optional(), Length(max=2000)])


class RescheduleForm(FlaskForm):
    """Confirm the move to a chosen time; the service re-checks everything."""

    start = HiddenField(validators=[DataRequired()])
    tz = HiddenField(validators=[DataRequired()])
    duration = HiddenField(validators=[DataRequired()])


class LostLinkForm(FlaskForm):
    """Ask for the manage links of an address's bookings."""

    email = EmailField(_l("Your email"), validators=[DataRequired(), Length(max=254)])
