"""The event and week fields staff write in Spanish beside the English (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from events.models import Campaign, CampaignFile, Event, EventMaterial


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "cost_note", "status_note")


@register(Campaign)
class CampaignTranslation(TranslationOptions):
    fields = (
        "theme",
        "summary",
        "description",
        "how_to_join",
        "call_to_action_text",
        "hero_alt",
        "hero_credit",
    )


@register(CampaignFile)
class CampaignFileTranslation(TranslationOptions):
    fields = ("title",)


@register(EventMaterial)
class EventMaterialTranslation(TranslationOptions):
    fields = ("title",)
