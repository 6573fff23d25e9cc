"""The visitor's clock: the URL's choice, else the CLDR's for their locale."""
import pytest
from babel import Locale

from webapp.public.hour_cycle import cycle_for_locale, time_pattern, visitor_cycle


@pytest.mark.parametrize("tag, cycle", [("en_US", 12), ("en", 12), ("en_GB", 24), ("it", 24), ("it_IT", 24),
                                        ("en_IT", 24), ("de_DE", 24), ("fr_CA", 24), ("en_CA", 12),
                                        ("en_AU", 12), ("zh_Hant_TW", 12), ("ja_JP", 24), ("hi_IN", 12)])
def test_a_locale_gives_its_usual_clock(tag, cycle):
    assert cycle_for_locale(Locale.parse(tag)) == cycle


def test_the_url_choice_wins_over_the_locale_and_nonsense_is_ignored():
    assert visitor_cycle(None, Locale.parse("en_US")) == 12
    assert visitor_cycle("24", Locale.parse("en_US")) == 24
    assert visitor_cycle("12", Locale.parse("it")) == 12
    assert visitor_cycle("13", Locale.parse("it")) == 24


def test_time_patterns():
    assert time_pattern(12) == "h:mm a" and time_pattern(24) == "HH:mm"
