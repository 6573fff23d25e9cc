"""Contrast ratios (WCAG 2) of colours as the browser computed them."""
import re

from playwright.sync_api import Locator

RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)")


def _luminance(css_color: str) -> float:
    """Return the relative luminance of an `rgb(...)` colour."""
    channels = [float(value) / 255 for value in RGB.match(css_color).groups()]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(first: str, second: str) -> float:
    """Return the contrast ratio between two computed colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def style(locator: Locator, prop: str) -> str:
    """Return one computed style property of the element."""
    return locator.evaluate("(e, p) => getComputedStyle(e).getPropertyValue(p)", prop)
