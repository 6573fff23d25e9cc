"""The visitor's clock: the URL's choice, else the browser's first language."""
import pytest

from webapp.public.hour_cycle import cycle_for_language, time_format, visitor_cycle


@pytest.mark.parametrize("tag, cycle", [("en-US", 12), ("en", 12), ("en-GB", 24), ("it", 24), ("it-IT", 24),
                                        ("de-DE", 24), ("fr-CA", 24), ("en-CA", 12), ("en_AU", 12),
                                        ("zh-Hant-TW", 12), ("ja-JP", 24), ("hi-IN", 12)])
def test_a_language_tag_gives_its_usual_clock(tag, cycle):
    assert cycle_for_language(tag) == cycle


def test_the_url_choice_wins_over_the_language_and_nonsense_is_ignored():
    english_us = [("en-US", 1.0), ("it", 0.5)]
    assert visitor_cycle(None, english_us) == 12
    assert visitor_cycle("24", english_us) == 24
    assert visitor_cycle("13", [("it", 1.0)]) == 24
    assert visitor_cycle(None, [("*", 1.0), ("en-US", 0.5)]) == 12
    assert visitor_cycle(None, []) == 24


def test_time_formats():
    assert time_format(12) == "%-I:%M %p" and time_format(24) == "%H:%M"
