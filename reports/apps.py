from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from iecmh_site.cache import clear_on_change
        from reports import models, search

        search.register()
        clear_on_change(
            models.Report,
            models.Topic,
            models.Organization,
            models.Author,
            models.ReportAuthor,
            models.ReportOrganization,
        )
