"""The report fields staff write in Spanish beside the English (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from reports.models import Report, Topic


@register(Report)
class ReportTranslation(TranslationOptions):
    fields = ("title", "subtitle", "summary", "key_findings")


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name", "description")
    empty_values = {"name": None}  # topic names are unique: an untranslated one is NULL
