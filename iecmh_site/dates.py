"""Dates, times and amounts as visitors read them: the one place the site writes them.

English follows US conventions and AP style for times: "Monday, December 7, 2026", "Dec 7,
2026", "10 a.m.", "10:30 a.m.", "noon", "midnight". Every time is Massachusetts time, named
by its zone abbreviation on that date (EST or EDT). Machine formats (ISO 8601 in JSON-LD,
<time datetime>, calendars) do not come through here.

Each function writes in the active language (or ``language=``). A language is one class of
words and patterns; another (Spanish: "lunes, 7 de diciembre de 2026, de 12:00 a 13:00
EST") plugs in as a subclass added to LANGUAGES, without changing any caller.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import translation

# Massachusetts time: every date and time a visitor reads is in this zone.
MASSACHUSETTS = ZoneInfo("America/New_York")


class English:
    """US English."""

    MONTHS = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    # A time range on one day, on two days; with one zone, or two when the clocks changed.
    SAME_DAY = "{date}, {start} to {end} {zone}"
    SAME_DAY_TWO_ZONES = "{date}, {start} {start_zone} to {end} {end_zone}"
    TWO_DAYS = "{start_date}, {start} to {end_date}, {end} {zone}"
    TWO_DAYS_TWO_ZONES = "{start_date}, {start} {start_zone} to {end_date}, {end} {end_zone}"
    MOMENT = "{date}, {time} {zone}"
    ALL_DAY = "{date} (all day)"

    def date(self, day: date) -> str:
        return f"{self.WEEKDAYS[day.weekday()]}, {self.MONTHS[day.month - 1]} {day.day}, {day.year}"

    def short_date(self, day: date) -> str:
        return f"{self.MONTHS[day.month - 1][:3]} {day.day}, {day.year}"

    def month(self, day: date) -> str:
        return f"{self.MONTHS[day.month - 1]} {day.year}"

    def time(self, moment: time) -> str:
        if moment.hour == 0 and moment.minute == 0:
            return "midnight"
        if moment.hour == 12 and moment.minute == 0:
            return "noon"
        hour = moment.hour % 12 or 12
        minutes = f":{moment.minute:02d}" if moment.minute else ""
        return f"{hour}{minutes} {'a.m.' if moment.hour < 12 else 'p.m.'}"

    def date_range(self, first: date, last: date) -> str:
        """Whole days: "Monday, October 20 to Friday, October 24, 2025"."""
        if first == last:
            return self.date(first)
        if first.year == last.year:
            start = f"{self.WEEKDAYS[first.weekday()]}, {self.MONTHS[first.month - 1]} {first.day}"
            return f"{start} to {self.date(last)}"
        return f"{self.date(first)}, to {self.date(last)}"

    def number(self, value: Decimal) -> str:
        """As written: 1.5, 2, 0.75, 1,200."""
        return f"{value.normalize():,f}"

    def training_hours(self, value: Decimal) -> str:
        return f"{self.number(value)} training hour{'' if value == 1 else 's'}"


class Spanish:
    """Spanish: "lunes, 7 de diciembre de 2026", 24-hour times ("de 12:00 a 13:00 EST")."""

    MONTHS = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ]
    WEEKDAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]

    SAME_DAY = "{date}, de {start} a {end} {zone}"
    SAME_DAY_TWO_ZONES = "{date}, de {start} {start_zone} a {end} {end_zone}"
    TWO_DAYS = "del {start_date}, {start}, al {end_date}, {end} {zone}"
    TWO_DAYS_TWO_ZONES = "del {start_date}, {start} {start_zone}, al {end_date}, {end} {end_zone}"
    MOMENT = "{date}, {time} {zone}"
    ALL_DAY = "{date} (todo el día)"

    def date(self, day: date) -> str:
        weekday, month = self.WEEKDAYS[day.weekday()], self.MONTHS[day.month - 1]
        return f"{weekday}, {day.day} de {month} de {day.year}"

    def short_date(self, day: date) -> str:
        return f"{day.day} {self.MONTHS[day.month - 1][:3]} {day.year}"

    def month(self, day: date) -> str:
        return f"{self.MONTHS[day.month - 1]} de {day.year}"

    def time(self, moment: time) -> str:
        return f"{moment.hour}:{moment.minute:02d}"

    def date_range(self, first: date, last: date) -> str:
        """Whole days: "del lunes, 20 al viernes, 24 de octubre de 2025"."""
        if first == last:
            return self.date(first)
        if (first.year, first.month) == (last.year, last.month):
            start = f"{self.WEEKDAYS[first.weekday()]}, {first.day}"
        elif first.year == last.year:
            start = (
                f"{self.WEEKDAYS[first.weekday()]}, {first.day} de {self.MONTHS[first.month - 1]}"
            )
        else:
            start = self.date(first)
        return f"del {start} al {self.date(last)}"

    def number(self, value: Decimal) -> str:
        """Comma for decimals, a space for thousands: 1,5; 2; 1 200."""
        whole, _, fraction = f"{value.normalize():f}".partition(".")
        sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
        if len(digits) > 4:
            digits = f"{int(digits):,}".replace(",", "\u00a0")
        return sign + digits + (f",{fraction}" if fraction else "")

    def training_hours(self, value: Decimal) -> str:
        return f"{self.number(value)} hora{'' if value == 1 else 's'} de formación"


LANGUAGES = {"en": English(), "es": Spanish()}
DEFAULT_LANGUAGE = "en"


def _words(language: str | None):
    code = (language or translation.get_language() or DEFAULT_LANGUAGE).lower()
    return LANGUAGES.get(code.split("-")[0], LANGUAGES[DEFAULT_LANGUAGE])


def _local(value: datetime) -> datetime:
    """In Massachusetts time; a naive value is taken to be Massachusetts time already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=MASSACHUSETTS)
    return value.astimezone(MASSACHUSETTS)


def _day(value: date | datetime) -> date:
    return _local(value).date() if isinstance(value, datetime) else value


def long_date(value: date | datetime, *, language: str | None = None) -> str:
    """ "Monday, December 7, 2026"."""
    return _words(language).date(_day(value))


def short_date(value: date | datetime, *, language: str | None = None) -> str:
    """ "Dec 7, 2026"."""
    return _words(language).short_date(_day(value))


def month_year(value: date | datetime, *, language: str | None = None) -> str:
    """ "December 2026"."""
    return _words(language).month(_day(value))


def time_of_day(value: time | datetime, *, language: str | None = None) -> str:
    """ "10 a.m.", "10:30 a.m.", "noon", "midnight" (no zone)."""
    if isinstance(value, datetime):
        value = _local(value).time()
    return _words(language).time(value)


def moment(value: datetime, *, language: str | None = None) -> str:
    """A date and time with its zone: "Monday, December 7, 2026, 10:30 a.m. EST"."""
    words, local = _words(language), _local(value)
    return words.MOMENT.format(
        date=words.date(local.date()), time=words.time(local.time()), zone=local.tzname()
    )


def date_range(first: date | datetime, last: date | datetime, *, language=None) -> str:
    """Whole days: "Monday, October 20 to Friday, October 24, 2025"; one day: its date."""
    first, last = _day(first), _day(last)
    return _words(language).date_range(first, max(first, last))


def when(
    start: datetime, end: datetime, *, all_day: bool = False, language: str | None = None
) -> str:
    """When an event takes place, in Massachusetts time.

    "Monday, December 7, 2026, 10 a.m. to noon EST"; across days "Monday, December 7, 2026,
    10 a.m. to Tuesday, December 8, 2026, 2 p.m. EST"; across a clock change each time has
    its zone; all day "Monday, December 7, 2026 (all day)", or a range of dates. An end at
    midnight just after the first day is that day's midnight ("10 p.m. to midnight").
    """
    words = _words(language)
    start, end = _local(start), _local(end)
    if all_day:
        if end.date() <= start.date():
            return words.ALL_DAY.format(date=words.date(start.date()))
        return words.date_range(start.date(), end.date())
    end_day = end.date()
    if end.time() == time(0) and end_day == start.date() + timedelta(days=1) and end > start:
        end_day = start.date()
    if end == start:
        return moment(start, language=language)
    parts = {
        "date": words.date(start.date()),
        "start_date": words.date(start.date()),
        "end_date": words.date(end_day),
        "start": words.time(start.time()),
        "end": words.time(end.time()),
        "zone": end.tzname(),
        "start_zone": start.tzname(),
        "end_zone": end.tzname(),
    }
    one_zone = start.tzname() == end.tzname()
    if end_day == start.date():
        pattern = words.SAME_DAY if one_zone else words.SAME_DAY_TWO_ZONES
    else:
        pattern = words.TWO_DAYS if one_zone else words.TWO_DAYS_TWO_ZONES
    return pattern.format(**parts)


def number(value: Decimal | int | float | str, *, language: str | None = None) -> str:
    """A quantity as written: 1.5, 2, 0.75 (never "1.50")."""
    return _words(language).number(Decimal(str(value)))


def training_hours(value: Decimal | int | float | str, *, language: str | None = None) -> str:
    """ "1.5 training hours", "1 training hour"."""
    return _words(language).training_hours(Decimal(str(value)))
