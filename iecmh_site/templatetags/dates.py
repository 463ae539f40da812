"""Template filters over iecmh_site.dates, in the active language: ``{% load dates %}``.

``{{ day|long_date }}``, ``{{ day|short_date }}``, ``{{ day|month_year }}``,
``{{ moment|time_of_day }}``, ``{{ moment|moment }}``, ``{{ first|date_range:last }}``,
``{{ hours|number }}``, ``{{ hours|training_hours }}``. An empty value prints nothing.
"""

from django import template

from iecmh_site import dates

register = template.Library()


def _empty(value) -> bool:
    return value is None or value == ""


def _one_value(function):
    def filter_(value):
        return "" if _empty(value) else function(value)

    return filter_


for _name in (
    "long_date",
    "short_date",
    "month_year",
    "time_of_day",
    "moment",
    "number",
    "training_hours",
):
    register.filter(_name, _one_value(getattr(dates, _name)))


@register.filter
def date_range(first, last):
    if _empty(first):
        return ""
    return dates.date_range(first, first if _empty(last) else last)
