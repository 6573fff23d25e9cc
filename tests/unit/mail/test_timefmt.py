"""Times shown to people: wall clock in a named zone, labelled with it."""
from datetime import datetime, timezone

from webapp.mail.timefmt import format_in_zone, format_short, format_span, zoned_spans

START = datetime(2026, 3, 30, 7, 0, tzinfo=timezone.utc)
END = datetime(2026, 3, 30, 8, 30, tzinfo=timezone.utc)


def test_instant_is_shown_in_the_zone_with_abbreviation_and_name():
    assert format_in_zone(START, "Europe/Rome") == "Monday 30 March 2026, 09:00 CEST (Europe/Rome)"


def test_same_wall_clock_changes_abbreviation_across_dst():
    before = datetime(2026, 3, 27, 8, 0, tzinfo=timezone.utc)
    assert format_in_zone(before, "Europe/Rome") == "Friday 27 March 2026, 09:00 CET (Europe/Rome)"


def test_span_within_one_day_names_the_date_once():
    assert format_span(START, END, "America/New_York") == (
        "Monday 30 March 2026, 03:00–04:30 EDT (America/New_York)")


def test_span_across_local_midnight_names_both_dates():
    start = datetime(2026, 3, 30, 21, 30, tzinfo=timezone.utc)
    end = datetime(2026, 3, 30, 22, 30, tzinfo=timezone.utc)
    assert format_span(start, end, "Europe/Rome") == (
        "Monday 30 March 2026, 23:30 CEST (Europe/Rome) – "
        "Tuesday 31 March 2026, 00:30 CEST (Europe/Rome)")


def test_short_form_for_subject_lines():
    assert format_short(START, "Europe/London") == "Mon 30 Mar 2026 08:00 BST"


def test_spans_show_client_zone_first_then_business_zone():
    assert zoned_spans(START, END, "Europe/London", "Europe/Rome") == [
        "Monday 30 March 2026, 08:00–09:30 BST (Europe/London)",
        "Monday 30 March 2026, 09:00–10:30 CEST (Europe/Rome)",
    ]


def test_spans_show_one_line_when_client_and_business_share_a_zone():
    assert zoned_spans(START, END, "Europe/Rome", "Europe/Rome") == [
        "Monday 30 March 2026, 09:00–10:30 CEST (Europe/Rome)"]
