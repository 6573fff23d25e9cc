"""Field checks for admin forms: numbers, clock times, dates and flags from text."""
from datetime import date, time

from webapp.services.errors import ValidationFailed
from webapp.services.validation import FieldErrors

TRUE_VALUES = {"1", "true", "on", "yes", "y"}


class AdminFieldErrors(FieldErrors):
    """FieldErrors plus parsers for the typed values admin forms send as text."""

    def _blank(self, name: str, value, required: bool) -> bool:
        """Return True if the value is empty, noting it when the field is required."""
        if value is not None and str(value).strip() != "":
            return False
        if required:
            self[name] = "This field is required."
        return True

    def integer(self, name: str, value, *, low: int, high: int, required: bool = True) -> int | None:
        """Check a whole number between low and high (inclusive)."""
        if self._blank(name, value, required):
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            self[name] = "Must be a whole number."
            return None
        if not low <= number <= high:
            self[name] = f"Must be between {low} and {high}."
        return number

    def clock(self, name: str, value, *, required: bool = True) -> time | None:
        """Check a wall time written HH:MM."""
        if self._blank(name, value, required):
            return None
        try:
            parsed = time.fromisoformat(str(value).strip())
        except ValueError:
            self[name] = "Use a time such as 09:30."
            return None
        return parsed.replace(second=0, microsecond=0)

    def day(self, name: str, value, *, required: bool = True) -> date | None:
        """Check a date written YYYY-MM-DD."""
        if self._blank(name, value, required):
            return None
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self[name] = "Use a date such as 2030-01-31."
            return None

    def number_list(self, name: str, value, *, low: int, high: int) -> list[int]:
        """Check a comma-separated list of whole numbers between low and high."""
        items = [item.strip() for item in str(value or "").split(",") if item.strip()]
        try:
            numbers = sorted({int(item) for item in items})
        except ValueError:
            self[name] = "Use whole numbers separated by commas."
            return []
        if any(not low <= number <= high for number in numbers):
            self[name] = f"Each value must be between {low} and {high}."
        return numbers

    def raise_if_any(self, message: str = "Please correct the highlighted fields.") -> None:
        """Raise ValidationFailed with the collected messages, if there are any."""
        if self:
            raise ValidationFailed(message, dict(self))


def flag(value) -> bool:
    """Read a checkbox or boolean value."""
    return value is True or str(value or "").strip().lower() in TRUE_VALUES
