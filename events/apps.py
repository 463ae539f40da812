from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from events import search
        from events.models import Campaign, CampaignFile, Event
        from iecmh_site.cache import clear_on_change

        clear_on_change(Campaign, CampaignFile, Event)
        search.register()
