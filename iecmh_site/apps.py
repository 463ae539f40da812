from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save

# Apps whose content appears on public pages: saving any of it clears the page cache.
PUBLIC_CONTENT_APPS = ["pages", "reports", "events", "redirects", "sites"]


class SiteConfig(AppConfig):
    name = "iecmh_site"
    verbose_name = "Site"

    def ready(self):
        # Cache invalidation is infrastructure, not business logic: signals catch every
        # write path (admin, services, shell, demo data) without each having to remember.
        from iecmh_site.cache import invalidate

        for label in PUBLIC_CONTENT_APPS:
            for model in apps.get_app_config(label).get_models():
                post_save.connect(invalidate, sender=model, dispatch_uid=f"cache-save-{model}")
                post_delete.connect(invalidate, sender=model, dispatch_uid=f"cache-del-{model}")
                for field in model._meta.local_many_to_many:
                    m2m_changed.connect(
                        invalidate,
                        sender=field.remote_field.through,
                        dispatch_uid=f"cache-m2m-{field}",
                    )
