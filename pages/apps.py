from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from iecmh_site.cache import clear_on_change
        from pages import search
        from pages.models import Page

        clear_on_change(Page)
        search.register()
