"""The page fields staff write in Spanish beside the English (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from pages.models import Page


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "seo_title", "seo_description", "hero_alt", "hero_credit")
