"""What the site's forms share: staff forms' errors always shown, dates and times as people
type them; the public lists' filters over short lists kept between saves."""

import hashlib

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from iecmh_site.cache import generation_cached
from iecmh_site.storage import clean_upload

DATE_HINT = _("Type dates like 10/21/2026.")
TIME_HINT = _("Type times like 3:00 PM, 3pm or 15:00.")


class FormWideErrorsMixin:
    """An error about a field this form does not show is shown at the top of the form.

    A model's rule may name a field the form leaves out (an inline showing a few of an
    event's fields, say); Django would raise ValueError, a server error, instead.
    """

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            shown, elsewhere = {}, []
            for name, errors in error.error_dict.items():
                if name == NON_FIELD_ERRORS or name in self.fields:
                    shown[name] = errors
                    continue
                label = self._label(name)
                elsewhere.extend(f"{label}: {message}" for e in errors for message in e.messages)
            if elsewhere:
                shown.setdefault(NON_FIELD_ERRORS, []).extend(ValidationError(m) for m in elsewhere)
            error = ValidationError(shown)
        super().add_error(field, error)

    def _label(self, name: str) -> str:
        model = getattr(getattr(self, "_meta", None), "model", None)
        try:
            return str(model._meta.get_field(name).verbose_name).capitalize()
        except (AttributeError, LookupError):
            return name.replace("_", " ").capitalize()


def with_form_wide_errors(form_class):
    if issubclass(form_class, FormWideErrorsMixin):
        return form_class
    return type(form_class.__name__, (FormWideErrorsMixin, form_class), {})


class HeroPictureForm:
    """For the admin forms of models with a picture (iecmh_site.images.HeroPicture)."""

    HERO_FIELDS = ["hero_image", "hero_alt", "hero_decorative", "hero_credit"]

    def clean_hero_image(self):
        return clean_upload(self.cleaned_data.get("hero_image"))


def date_time_hint(db_field) -> str:
    """The typing hint for a date, time or date-and-time field; empty for other fields."""
    if isinstance(db_field, models.DateTimeField):
        return f"{DATE_HINT} {TIME_HINT}"
    if isinstance(db_field, models.DateField):
        return DATE_HINT
    if isinstance(db_field, models.TimeField):
        return TIME_HINT
    return ""


class _KeptChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.kept():
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.kept()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.kept())


class KeptModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over a short list (the topics, the five roles) kept until the next
    content save: a list's filter renders its choices and checks the one chosen without a
    query. The objects' labels are read when shown, so they follow the visitor's language."""

    iterator = _KeptChoiceIterator

    def kept(self) -> list:
        model = self.queryset.model._meta.label_lower
        return generation_cached(
            f"choices:{model}", lambda: list(self.queryset.all()), by_language=False
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        for obj in self.kept():
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class BlankFiltersMixin:
    """A public list's GET filters. The blank form (no filter asked for: every crawler's and
    most visitors' first look at a list, on any of its pages) looks the same for everyone, so
    its template keeps it drawn (``{% cache %}`` under ``blank_key``) instead of drawing each
    select through the form templates on every render (1.4 ms of an events list's 15)."""

    @property
    def is_blank(self) -> bool:
        """No field of the form in the query string (as its widget reads it, prefix and all),
        not even empty: whatever was asked for is drawn as asked."""
        return all(
            field.widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))
            for name, field in self.fields.items()
        )

    @property
    def blank_key(self) -> str:
        """A digest of the choices the blank form offers (roles and topics as of the last
        save, the years of the reports published by now): the rest of what it shows is the
        language's and the list's address, which the template adds to the key. Reading the
        choices must not query: fixed choices, or a KeptModelChoiceField's."""
        shown = [
            (name, [(str(value), str(label)) for value, label in getattr(field, "choices", ())])
            for name, field in self.fields.items()
        ]
        return hashlib.sha256(repr(shown).encode()).hexdigest()[:16]
