"""The business's look: its accent colour checked for contrast, and the stylesheet that applies it.

Pure (no Flask, no database): the settings hold the values, the web layer serves `accent_css`.
"""
import re

#: the site's own accent (static/css/app.css), used when the admin chose none
DEFAULT_ACCENT = "#2457c5"
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
#: white text on the accent (buttons, the chosen day) must stay readable: WCAG AA for body text
MIN_CONTRAST_WITH_WHITE = 4.5


def _luminance(colour: str) -> float:
    """Return the WCAG relative luminance of a #rrggbb colour."""
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_with_white(colour: str) -> float:
    """Return the contrast ratio of white text on `colour` (1 to 21)."""
    return 1.05 / (_luminance(colour) + 0.05)


def darker(colour: str, share: float = 0.25) -> str:
    """Return `colour` mixed with `share` of black (the hover and chosen-day shade)."""
    return "#" + "".join(f"{round(int(colour[i:i + 2], 16) * (1 - share)):02x}" for i in (1, 3, 5))


def accent_problem(colour: str) -> str | None:
    """Return why `colour` cannot be the accent, or None when it can."""
    if not HEX_COLOUR.match(colour or ""):
        return "Use a colour such as #2457c5."
    ratio = contrast_with_white(colour)
    if ratio < MIN_CONTRAST_WITH_WHITE:
        return f"White text on this colour is too faint ({ratio:.1f}:1, at least 4.5:1 is needed): choose a darker one."
    return None


def accent_css(colour: str) -> str:
    """Return the stylesheet that makes `colour` the accent of every page."""
    colour = colour.lower()
    return f":root {{ --accent: {colour}; --accent-strong: {darker(colour)}; }}\n"
