"""Model fields shared by the apps."""

from django.db import models


class HttpsURLField(models.URLField):
    """A web address; one typed without its scheme means https (Django 6's default)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
