"""The one formatting helper: US dates, AP-style times, Massachusetts zones, written numbers."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from iecmh_site import dates

MA = ZoneInfo("America/New_York")


def at(*args):
    return datetime.datetime(*args, tzinfo=MA)


def test_a_date_is_written_the_us_way():
    assert dates.long_date(datetime.date(2026, 12, 7)) == "Monday, December 7, 2026"
    assert dates.short_date(datetime.date(2026, 12, 7)) == "Dec 7, 2026"
    assert dates.short_date(datetime.date(2026, 5, 1)) == "May 1, 2026"
    assert dates.month_year(datetime.date(2026, 12, 7)) == "December 2026"


def test_an_aware_moment_is_dated_in_massachusetts():
    # 3 a.m. UTC on December 8 is still the evening of December 7 in Boston.
    late = datetime.datetime(2026, 12, 8, 3, tzinfo=datetime.UTC)
    assert dates.long_date(late) == "Monday, December 7, 2026"
    assert dates.time_of_day(late) == "10 p.m."
    assert dates.moment(late) == "Monday, December 7, 2026, 10 p.m. EST"


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (0, 0, "midnight"),
        (0, 30, "12:30 a.m."),
        (1, 0, "1 a.m."),
        (10, 0, "10 a.m."),
        (10, 30, "10:30 a.m."),
        (11, 59, "11:59 a.m."),
        (12, 0, "noon"),
        (12, 15, "12:15 p.m."),
        (14, 0, "2 p.m."),
        (23, 5, "11:05 p.m."),
    ],
)
def test_times_in_ap_style(hour, minute, expected):
    assert dates.time_of_day(datetime.time(hour, minute)) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(2026, 12, 7, 10), at(2026, 12, 7, 12), "Monday, December 7, 2026, 10 a.m. to noon EST"),
        (
            at(2026, 10, 21, 10),
            at(2026, 10, 21, 14),
            "Wednesday, October 21, 2026, 10 a.m. to 2 p.m. EDT",
        ),
        (
            at(2026, 12, 7, 9, 30),
            at(2026, 12, 7, 10, 45),
            "Monday, December 7, 2026, 9:30 a.m. to 10:45 a.m. EST",
        ),
        (
            at(2026, 12, 7, 10),
            at(2026, 12, 8, 14),
            "Monday, December 7, 2026, 10 a.m. to Tuesday, December 8, 2026, 2 p.m. EST",
        ),
        # An evening that ends at midnight ends on its own day.
        (
            at(2026, 12, 7, 22),
            at(2026, 12, 8, 0),
            "Monday, December 7, 2026, 10 p.m. to midnight EST",
        ),
        (
            at(2026, 12, 7, 0),
            at(2026, 12, 7, 1),
            "Monday, December 7, 2026, midnight to 1 a.m. EST",
        ),
        (at(2026, 12, 7, 10), at(2026, 12, 7, 10), "Monday, December 7, 2026, 10 a.m. EST"),
    ],
)
def test_time_ranges(start, end, expected):
    assert dates.when(start, end) == expected


def test_zone_abbreviations_follow_daylight_saving_time():
    # 2026: clocks go forward on Sunday, March 8 and back on Sunday, November 1.
    assert dates.when(at(2026, 3, 6, 10), at(2026, 3, 6, 11)).endswith("EST")
    assert dates.when(at(2026, 3, 9, 10), at(2026, 3, 9, 11)).endswith("EDT")
    assert dates.when(at(2026, 10, 30, 10), at(2026, 10, 30, 11)).endswith("EDT")
    assert dates.when(at(2026, 11, 2, 10), at(2026, 11, 2, 11)).endswith("EST")


def test_a_range_across_a_clock_change_names_both_zones():
    assert dates.when(at(2026, 3, 8, 1), at(2026, 3, 8, 4)) == (
        "Sunday, March 8, 2026, 1 a.m. EST to 4 a.m. EDT"
    )
    assert dates.when(at(2026, 10, 31, 22), at(2026, 11, 1, 3)) == (
        "Saturday, October 31, 2026, 10 p.m. EDT to Sunday, November 1, 2026, 3 a.m. EST"
    )


def test_utc_moments_are_shown_in_massachusetts_time():
    start = datetime.datetime(2026, 12, 7, 15, tzinfo=datetime.UTC)
    end = datetime.datetime(2026, 12, 7, 17, tzinfo=datetime.UTC)
    assert dates.when(start, end) == "Monday, December 7, 2026, 10 a.m. to noon EST"


def test_all_day_events():
    assert dates.when(at(2026, 12, 7, 0), at(2026, 12, 7, 23, 59), all_day=True) == (
        "Monday, December 7, 2026 (all day)"
    )
    assert dates.when(at(2026, 12, 7, 0), at(2026, 12, 9, 23, 59), all_day=True) == (
        "Monday, December 7 to Wednesday, December 9, 2026"
    )
    assert dates.when(at(2026, 12, 31, 0), at(2027, 1, 1, 23, 59), all_day=True) == (
        "Thursday, December 31, 2026, to Friday, January 1, 2027"
    )


def test_date_ranges_of_whole_days():
    first, last = datetime.date(2025, 10, 20), datetime.date(2025, 10, 24)
    assert dates.date_range(first, last) == "Monday, October 20 to Friday, October 24, 2025"
    assert dates.date_range(first, first) == "Monday, October 20, 2025"


@pytest.mark.parametrize(
    ("value", "number", "hours"),
    [
        (Decimal("1.50"), "1.5", "1.5 training hours"),
        (Decimal("2.00"), "2", "2 training hours"),
        (Decimal("0.75"), "0.75", "0.75 training hours"),
        (Decimal("1.00"), "1", "1 training hour"),
        (Decimal("10"), "10", "10 training hours"),
        (3, "3", "3 training hours"),
        ("1200.5", "1,200.5", "1,200.5 training hours"),
    ],
)
def test_amounts_are_written_as_people_write_them(value, number, hours):
    assert dates.number(value) == number
    assert dates.training_hours(value) == hours


def test_the_active_language_picks_the_words_and_unknown_ones_fall_back_to_english():
    day = datetime.date(2026, 12, 7)
    assert dates.long_date(day, language="en-us") == "Monday, December 7, 2026"
    assert dates.long_date(day, language="xx") == "Monday, December 7, 2026"
    with translation.override("en"):
        assert dates.long_date(day) == "Monday, December 7, 2026"


def test_a_second_language_plugs_in_without_changing_callers(monkeypatch):
    class Telling(dates.English):
        SAME_DAY = "{date}, de {start} a {end} {zone}"

        def date(self, day):
            return f"day {day.day}"

        def time(self, moment):
            return f"{moment:%H:%M}"

    monkeypatch.setitem(dates.LANGUAGES, "es", Telling())
    assert dates.when(at(2026, 12, 7, 12), at(2026, 12, 7, 13), language="es") == (
        "day 7, de 12:00 a 13:00 EST"
    )


def test_template_filters():
    template = Template(
        "{% load dates %}{{ day|long_date }} | {{ day|short_date }} | {{ day|month_year }} | "
        "{{ moment|time_of_day }} | {{ day|date_range:last }} | {{ hours|number }} | "
        "{{ hours|training_hours }} | [{{ missing|long_date }}]"
    )
    text = template.render(
        Context(
            {
                "day": datetime.date(2025, 10, 20),
                "last": datetime.date(2025, 10, 24),
                "moment": at(2025, 10, 22, 10, 30),
                "hours": Decimal("1.50"),
                "missing": None,
            }
        )
    )
    assert text == (
        "Monday, October 20, 2025 | Oct 20, 2025 | October 2025 | 10:30 a.m. | "
        "Monday, October 20 to Friday, October 24, 2025 | 1.5 | 1.5 training hours | []"
    )
