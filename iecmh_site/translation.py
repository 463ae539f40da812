"""The site settings staff write in Spanish beside the English (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from iecmh_site.identity import SiteSettings


@register(SiteSettings)
class SiteSettingsTranslation(TranslationOptions):
    fields = ("contact_note", "footer_text", "hero_alt")
