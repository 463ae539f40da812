"""Dates and times as Massachusetts staff type them (Django's English formats, extended).

The first format of each list is also how the admin writes a value back into the field.
"""

DATE_INPUT_FORMATS = [
    "%m/%d/%Y",  # 10/21/2026
    "%m/%d/%y",  # 10/21/26
    "%Y-%m-%d",  # 2026-10-21
    "%b %d %Y",  # Oct 21 2026
    "%b %d, %Y",  # Oct 21, 2026
    "%B %d %Y",  # October 21 2026
    "%B %d, %Y",  # October 21, 2026
    "%d %B %Y",  # 21 October 2026
    "%d %b %Y",  # 21 Oct 2026
]
TIME_INPUT_FORMATS = [
    "%I:%M %p",  # 03:00 PM, 3:00 pm
    "%I:%M%p",  # 3:00PM
    "%I %p",  # 3 PM
    "%I%p",  # 3pm
    "%H:%M",  # 15:00
    "%H:%M:%S",  # 15:00:00
    "%H:%M:%S.%f",
    "%H.%M",  # 15.00
]
DATETIME_INPUT_FORMATS = [
    f"{date} {time}" for date in DATE_INPUT_FORMATS for time in TIME_INPUT_FORMATS
]
