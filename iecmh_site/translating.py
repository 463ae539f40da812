"""Which content is written in the visitor's language (django-modeltranslation).

An item is translated into a language when its first translated field (its title, name or
theme) has text in that language; until then its fields show the English text, and pages say
so and mark that text ``lang="en"`` for screen readers.
"""

from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst
from modeltranslation.translator import NotRegistered, translator

# The field that says whether an item is translated, the first of these it has translated.
KEY_FIELDS = ("title", "name", "summary")


def translated_fields(model) -> tuple[str, ...]:
    """The model's translated fields, the key field (its title or name) first."""
    try:
        fields = list(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()
    key = next((name for name in KEY_FIELDS if name in fields), None)
    return tuple([key, *[name for name in fields if name != key]] if key else fields)


def field_label(field) -> str:
    """How staff read a field's name: "Title", and for its Spanish twin "Title in Spanish"."""
    language = getattr(field, "language", None)
    if language is None:
        return capfirst(field.verbose_name)
    name = capfirst(field.translated_field.verbose_name)
    return name if language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE else f"{name} in Spanish"


def is_translated(obj, language: str | None = None) -> bool:
    """True when ``obj`` has its own text in ``language`` (the active one by default)."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    fields = translated_fields(type(obj))
    if language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE or not fields:
        return True
    return bool(getattr(obj, f"{fields[0]}_{language}", None))


def untranslated_languages(obj) -> list[str]:
    """The languages besides English ``obj`` still lacks."""
    return [code for code, _ in settings.LANGUAGES if not is_translated(obj, code)]
