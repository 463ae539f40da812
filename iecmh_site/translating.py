"""Which content is written in the visitor's language (django-modeltranslation).

An item is translated into a language when its first translated field (its title, name or
theme) has text in that language; until then its fields show the English text, and pages say
so and mark that text ``lang="en"`` for screen readers.
"""

from django.conf import settings
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator


def translated_fields(model) -> tuple[str, ...]:
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


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
