"""The zone list: names with UTC offsets, the viewer's zone chosen, built once a day."""
from datetime import datetime, timezone

from webapp.public.zone_choices import COMMON_ZONES, _options_html, all_zone_options, offset_label, zone_options

WINTER = datetime(2026, 1, 15, 9, tzinfo=timezone.utc)
SUMMER = datetime(2026, 7, 15, 9, tzinfo=timezone.utc)


def test_labels_carry_the_offset_of_the_day():
    assert offset_label("Europe/Rome", WINTER) == "Europe/Rome (UTC+01:00)"
    assert offset_label("Europe/Rome", SUMMER) == "Europe/Rome (UTC+02:00)"
    assert offset_label("Asia/Kolkata", WINTER) == "Asia/Kolkata (UTC+05:30)"
    assert offset_label("America/St_Johns", WINTER) == "America/St_Johns (UTC-03:30)"


def test_only_the_viewers_zone_is_selected():
    html = str(zone_options("America/New_York", WINTER))
    assert html.count(" selected>") == 1
    assert '<option value="America/New_York" selected>America/New_York (UTC-05:00)</option>' in html
    assert '<option value="Europe/Rome">Europe/Rome (UTC+01:00)</option>' in html


def test_the_full_list_is_rendered_once_per_day():
    _options_html.cache_clear()
    all_zone_options("Europe/Rome", WINTER)
    all_zone_options("Asia/Tokyo", WINTER.replace(hour=20))
    assert _options_html.cache_info().misses == 1 and _options_html.cache_info().hits == 1


def test_a_page_offers_the_common_zones_and_the_viewers_own():
    html = str(zone_options("Asia/Kathmandu", WINTER))
    assert html.count("<option") == len(COMMON_ZONES) + 1
    assert '<option value="Asia/Kathmandu" selected>Asia/Kathmandu (UTC+05:45)</option>' in html
    assert "Asia/Kathmandu" not in str(zone_options("Europe/Rome", WINTER))


def test_the_full_list_offers_every_zone():
    html = str(all_zone_options("Asia/Kathmandu", WINTER))
    assert html.count("<option") > 500 and html.count(" selected>") == 1
