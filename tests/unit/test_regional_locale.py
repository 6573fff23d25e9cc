"""A page's regional conventions: its language with the region the browser names."""
import pytest

from webapp.i18n import regional_tag


@pytest.mark.parametrize("language, browser, expected", [
    ("en", ("en-US", "en"), "en_US"),           # American English: Sunday first, 12 hours
    ("en", ("en-GB",), "en_GB"),
    ("en", ("it-IT", "it", "en"), "en_IT"),     # an Italian browser reading English: Monday, 24 hours
    ("it", ("it-IT",), "it_IT"),
    ("it", ("en-US",), "it"),                   # no Italian for the US in the CLDR: plain Italian
    ("it", ("de-CH", "it-CH"), "it_CH"),        # the tag in the page's language wins over the first
    ("en", (), "en"),
    ("en", ("zh-Hant-TW",), "en"),              # a region no English locale exists for
])
def test_the_region_comes_from_the_browser(language, browser, expected):
    assert regional_tag(language, browser) == expected
