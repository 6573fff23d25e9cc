"""Make untrusted text safe for single-line fields (headers, iCalendar parameters)."""
import re

_LINE_BREAKS_AND_CONTROLS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def one_line(value: str | None) -> str:
    """Collapse line breaks and control characters into single spaces."""
    return _LINE_BREAKS_AND_CONTROLS.sub(" ", value or "").strip()
