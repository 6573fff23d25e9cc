"""WTForms fields and validators the admin forms share: typed values with plain-worded errors."""
from datetime import time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TimeField
from wtforms.validators import NumberRange, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.services.validation import FieldErrors, parse_day

REQUIRED = _l("This field is required.")


def _blank(valuelist) -> bool:
    """Return True when a field was sent empty (or only spaces), or not at all."""
    return not valuelist or not str(valuelist[0]).strip()


class Filled:
    """Validator: the field was sent with something in it (spaces do not count)."""

    def __init__(self):
        """Flag the field as required."""
        self.field_flags = {"required": True}  # renders the input's `required` attribute

    def __call__(self, form, field):
        """Stop with "required" when the raw input is blank, hiding any parse error."""
        if _blank(field.raw_data):
            field.errors[:] = []
            raise StopValidation(REQUIRED)


def between(low: int, high: int) -> NumberRange:
    """Return a range validator with the admin's wording."""
    return NumberRange(low, high, message=_l("Must be between %(low)s and %(high)s.", low=low, high=high))


class PlainText:
    """Validator: the shared text rules (length, no control characters); stores the stripped text.

    An empty optional field becomes None, as the services store it.
    """

    def __init__(self, max_length: int, *, required: bool = False, multiline: bool = False):
        """Remember the limits; `required` refuses blank text."""
        self.max_length, self.required, self.multiline = max_length, required, multiline
        self.field_flags = {"required": True} if required else {}

    def __call__(self, form, field):
        """Check the text with FieldErrors.text (the rule the API and public site use)."""
        errors = FieldErrors()
        value = errors.text(field.name, field.data, required=self.required,
                            max_length=self.max_length, multiline=self.multiline)
        if errors:
            raise StopValidation(errors[field.name])
        field.data = value


def email_address(form, field) -> None:
    """Validator: an email address (the shared rule), stored in its normalised form."""
    errors = FieldErrors()
    value = errors.email(field.name, field.data)
    if errors:
        raise StopValidation(errors[field.name])
    field.data = value


class _ParsedFromText:
    """Field mixin: the data is `parse(text)`; blank input gives `blank`, bad input tells `message`."""

    blank = None
    message = _l("Not valid.")

    @staticmethod
    def parse(text: str):
        """Return the typed value of the (stripped) text; raise ValueError if it has none."""
        raise NotImplementedError

    def process_formdata(self, valuelist):
        """Read the typed value from the posted text."""
        if not valuelist:
            return
        self.data = self.blank
        if _blank(valuelist):
            return
        try:
            self.data = self.parse(str(valuelist[0]).strip())
        except ValueError as exc:
            self.data = None
            raise ValueError(self.message) from exc


class WholeNumberField(_ParsedFromText, IntegerField):
    """A whole number; blank input gives `blank` (None unless told)."""

    message = _l("Must be a whole number.")
    parse = staticmethod(int)

    def __init__(self, label=None, validators=None, blank: int | None = None, **kwargs):
        """Take IntegerField's arguments plus the value a blank input stands for."""
        super().__init__(label, validators, **kwargs)
        self.blank = blank


class ClockField(_ParsedFromText, TimeField):
    """A wall-clock time written HH:MM (seconds accepted and dropped)."""

    message = _l("Use a time such as 09:30.")

    @staticmethod
    def parse(text: str) -> time:
        """Return the time to the minute."""
        return time.fromisoformat(text).replace(second=0, microsecond=0)


class DayField(_ParsedFromText, DateField):
    """A day written YYYY-MM-DD."""

    message = _l("Use a date such as 2030-01-31.")
    parse = staticmethod(parse_day)


class NumberListField(StringField):
    """Whole numbers separated by commas, each between low and high; the data is a sorted list."""

    def __init__(self, label=None, validators=None, *, low: int, high: int, **kwargs):
        """Take StringField's arguments plus the range every number must be in."""
        super().__init__(label, validators, **kwargs)
        self.low, self.high = low, high

    def process_formdata(self, valuelist):
        """Read the numbers from the posted text (duplicates dropped)."""
        if not valuelist:
            return
        self.data = []
        items = [item.strip() for item in str(valuelist[0]).split(",") if item.strip()]
        try:
            self.data = sorted({int(item) for item in items})
        except ValueError as exc:
            raise ValueError(_("Use whole numbers separated by commas.")) from exc

    def pre_validate(self, form):
        """Refuse a number outside the range."""
        if any(not self.low <= number <= self.high for number in self.data or []):
            raise ValidationError(_("Each value must be between %(low)s and %(high)s.", low=self.low, high=self.high))

    def _value(self) -> str:
        """Show what was typed, else the numbers joined."""
        if self.raw_data:
            return self.raw_data[0]
        return ", ".join(str(number) for number in self.data or [])


class ListedChoiceField(SelectField):
    """A select whose unknown value gets the admin's wording instead of WTForms' generic one."""

    def __init__(self, label=None, validators=None, message: str = _l("Choose one of the listed options."),
                 **kwargs):
        """Take SelectField's arguments plus the message for an unlisted value."""
        super().__init__(label, validators, **kwargs)
        self.message = message

    def pre_validate(self, form):
        """Refuse a value that is not among the choices (once: a value that failed to convert is told already)."""
        if self.process_errors:
            return
        try:
            super().pre_validate(form)
        except ValidationError as exc:
            raise ValidationError(self.message) from exc

    def process_formdata(self, valuelist):
        """Read the value; one that cannot be converted counts as not listed."""
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(self.message) from exc


class CheckboxListField(SelectMultipleField):
    """Several of the listed choices, one checkbox each; an unlisted value gets the admin's wording."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, message: str = _l("Choose only listed options."),
                 **kwargs):
        """Take SelectMultipleField's arguments plus the message for an unlisted value."""
        super().__init__(label, validators, **kwargs)
        self.message = message

    def pre_validate(self, form):
        """Refuse a value that is not among the choices."""
        listed = {value for value, _label in self.choices or []}
        if any(value not in listed for value in self.data or []):
            raise ValidationError(self.message)


class OptionalChoiceField(ListedChoiceField):
    """A listed choice that may also be left out (None): e.g. a host select whose blank means the default host."""

    def __init__(self, label=None, validators=None, coerce=str, **kwargs):
        """Take ListedChoiceField's arguments; `coerce` is applied to every value but a blank one (None)."""
        super().__init__(label, validators, coerce=lambda value: None if value in (None, "", "None")
                         else coerce(value), **kwargs)

    def process_formdata(self, valuelist):
        """Read the value; a missing or blank one is None."""
        if not valuelist or valuelist[0] in ("", "None"):
            self.data = None
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form):
        """Accept None; refuse any other value that is not listed."""
        if self.data is not None:
            super().pre_validate(form)
