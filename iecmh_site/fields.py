"""Model fields shared by the apps.

Text staff type goes into calendars (ICS), feeds (XML) and JSON-LD, which refuse control
characters; a title with a line break broke its calendar file. LineField and ProseField
store what any of them can carry, whatever path the text came by (admin, import, shell).
"""

import re

from django.db import models

# C0 controls (but tab, line feed, carriage return), DEL, and Unicode's line separators.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")


def one_line(value: str) -> str:
    """Text on one line: controls and line breaks become spaces, runs of spaces one."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", value or "").split())


def plain_prose(value: str) -> str:
    """Paragraphs of text: line breaks kept, other control characters dropped."""
    return CONTROL_CHARACTERS.sub("", value or "").replace("\r\n", "\n").strip()


class LineField(models.CharField):
    """A title, name or short phrase: stored on one line, without control characters."""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is None and self.null:  # an untranslated field (django-modeltranslation)
            return None
        value = one_line(value)
        setattr(model_instance, self.attname, value)
        return value


class ProseField(models.TextField):
    """Plain paragraphs (a summary, a description): no control characters."""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is None and self.null:  # an untranslated field (django-modeltranslation)
            return None
        value = plain_prose(value)
        setattr(model_instance, self.attname, value)
        return value


class HttpsURLField(models.URLField):
    """A web address; one typed without its scheme means https (Django 6's default)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
