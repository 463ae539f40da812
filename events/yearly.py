"""The yearly copy of Celebrate Babies Week: dates moved in the text, and what a person must
still check before the new week is published."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.html import strip_tags
from django.utils.translation import gettext

from iecmh_site.dates import English

# The English names the text is written with: those of the site's one date helper.
MONTHS = English.MONTHS
WEEKDAYS = English.WEEKDAYS

_MONTH = rf"(?P<month>{'|'.join(MONTHS)}|{'|'.join(m[:3] for m in MONTHS)})(?P<dot>\.)?"
_WEEKDAY = rf"(?:(?P<weekday>{'|'.join(WEEKDAYS)}|{'|'.join(d[:3] for d in WEEKDAYS)})\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?P<suffix>st|nd|rd|th)?"
_YEAR = r"(?:(?P<comma2>,)?\s+(?P<year>(?:19|20)\d\d))?"


def _patterns():
    """ "October 22", "Wednesday, October 22, 2025", "Oct. 22nd"; and "Wednesday 22 October",
    "22 October 2025" (one pattern per order: a group name appears once per pattern)."""
    month_first = rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY}{_YEAR}\b"
    day_first = rf"\b{_WEEKDAY}{_DAY}\s+{_MONTH}{_YEAR}\b"
    return [re.compile(month_first), re.compile(day_first)]


PATTERNS = _patterns()
YEAR_IN_TEXT = re.compile(r"\b(?:19|20)\d\d\b")


def _suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _month_number(name: str) -> int:
    return next(n for n, month in enumerate(MONTHS, start=1) if month.startswith(name))


def _moved(match: re.Match, *, year: int, shift: timedelta, month_first: bool) -> str:
    parts = match.groupdict()
    day_number = int(parts["day"])
    stated_year = int(parts["year"]) if parts["year"] else year
    if stated_year != year:
        return match.group(0)  # another year's date: left for a person (it is listed)
    try:
        old = date(stated_year, _month_number(parts["month"]), day_number)
    except ValueError:
        return match.group(0)
    new = old + shift
    text = ""
    if parts["weekday"]:
        weekday = WEEKDAYS[new.weekday()]
        text += weekday[:3] if len(parts["weekday"]) == 3 else weekday
        text += match.group(0)[
            len(parts["weekday"]) : match.start("month" if month_first else "day") - match.start()
        ]
    month = MONTHS[new.month - 1]
    month = month[:3] if len(parts["month"]) == 3 else month
    month += parts["dot"] or ""
    day = f"{new.day}{_suffix(new.day) if parts['suffix'] else ''}"
    text += f"{month} {day}" if month_first else f"{day} {month}"
    if parts["year"]:
        text += ("," if parts["comma2"] else "") + f" {new.year}"
    return text


def move_dates(text: str, *, year: int, shift: timedelta) -> str:
    """``text`` with each day-and-month date of ``year`` moved by ``shift`` (weekday, month
    and year rewritten in the same style); dates of other years are left alone."""
    for month_first, pattern in zip((True, False), PATTERNS, strict=True):
        text = pattern.sub(
            lambda m, first=month_first: _moved(m, year=year, shift=shift, month_first=first),
            text,
        )
    return text


def copy_text(text: str, *, old_name: str, new_name: str, year: int, shift: timedelta) -> str:
    """Text of last year's week for the new one: the week's name and dates updated."""
    return move_dates(text.replace(old_name, new_name), year=year, shift=shift)


def copy_title(text: str, *, year: int, shift: timedelta) -> str:
    """A name, title or one-line summary: every mention of the year is the new year."""
    return move_dates(text, year=year, shift=shift).replace(str(year), str(year + 1))


# ---- what a person must check ----


@dataclass
class Check:
    where: str
    what: str
    admin_url: str


def _sentences_naming_an_earlier_year(text: str, year: int) -> list[str]:
    plain = strip_tags(re.sub(r"</(p|li|h\d)>", "\n", text or ""))
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", plain):
        years = [int(y) for y in YEAR_IN_TEXT.findall(sentence)]
        if any(y < year for y in years):
            found.append(sentence.strip())
    return found


def _earlier_year(sentence: str) -> str:
    return gettext("Names an earlier year: “%(sentence)s”") % {"sentence": sentence}


def checks(campaign, events, *, today: date) -> list[Check]:
    """The places a person should look at before publishing ``campaign``: text that still
    names an earlier year, online activities without a link, dates already passed."""
    found = []
    campaign_url = campaign.get_admin_url()
    if campaign.end_date < today and not campaign.is_published:
        found.append(
            Check(
                gettext("The week"),
                gettext("Its dates (%(dates)s) have already passed.")
                % {
                    "dates": f"{campaign.start_date:%B} {campaign.start_date.day} to "
                    f"{campaign.end_date:%B} {campaign.end_date.day}, {campaign.end_date.year}"
                },
                campaign_url,
            )
        )
    texts = [
        (gettext("The week's summary"), campaign.summary),
        (gettext("The week's theme"), campaign.theme),
        (gettext("The week's description"), campaign.description),
        (gettext("How to join"), campaign.how_to_join),
    ]
    for where, text in texts:
        for sentence in _sentences_naming_an_earlier_year(text, campaign.year):
            found.append(Check(where, _earlier_year(sentence), campaign_url))
    for event in events:
        where = gettext("Activity “%(title)s”") % {"title": event.title}
        for text in (event.title, event.summary, event.description):
            for sentence in _sentences_naming_an_earlier_year(text, campaign.year):
                found.append(Check(where, _earlier_year(sentence), event.get_admin_url()))
        if event.format != event.Format.IN_PERSON and not (
            event.joining_url or event.registration_url
        ):
            found.append(
                Check(
                    where,
                    gettext("Online: add this year’s joining or registration link."),
                    event.get_admin_url(),
                )
            )
    return found
