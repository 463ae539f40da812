from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _link_str(link) -> str:
    """'Workforce survey – Pediatricians' rather than 'Report_roles object (4)'."""
    first, second = (field for field in link._meta.fields if field.is_relation)
    return f"{getattr(link, first.name)} – {getattr(link, second.name)}"


class SiteConfig(AppConfig):
    """The site-wide app. Listed after the content apps, so that when its post_migrate runs
    their permissions exist and the staff groups can be given them."""

    name = "iecmh_site"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.redirects.models import Redirect
        from django.contrib.sites.models import Site

        from iecmh_site.cache import clear_after_migrate, clear_on_change
        from iecmh_site.groups import groups_ensure
        from iecmh_site.identity import PartnerLogo, SiteSettings, SocialLink
        from iecmh_site.revisions import version_translations
        from iecmh_site.search import rebuild_after_migrate
        from iecmh_site.vocabulary import Role, roles_ensure

        post_migrate.connect(roles_ensure, sender=self, dispatch_uid="iecmh-roles")
        post_migrate.connect(groups_ensure, sender=self, dispatch_uid="iecmh-groups")
        post_migrate.connect(rebuild_after_migrate, sender=self, dispatch_uid="iecmh-search")
        post_migrate.connect(clear_after_migrate, sender=self, dispatch_uid="iecmh-page-cache")
        clear_on_change(Role, Redirect, Site, SiteSettings, PartnerLogo, SocialLink)
        version_translations()
        # Many-to-many links appear by name in the admin's delete confirmations.
        for model in apps.get_models(include_auto_created=True):
            if model._meta.auto_created:
                model.__str__ = _link_str
