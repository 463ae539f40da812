from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand
from django.db import transaction

from iecmh_site import revisions
from iecmh_site.demo import events, identity, newsletter, pages, reports
from iecmh_site.groups import EDITORS_GROUP, MAILING_LIST_GROUP

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-editor-2025"


class Command(BaseCommand):
    help = "Load the demo content (safe to run again: never duplicates nor overwrites edits)."

    def handle(self, *args, **options):
        # One revision: each item's history starts with the demo content.
        with transaction.atomic(), revisions.revision(user=None, comment="Demo content."):
            self._site()
            for module in (identity, pages, reports, events, newsletter):
                module.seed(stdout=self.stdout)
        if settings.DEBUG:
            self._demo_login()
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))

    def _site(self):
        domain = urlsplit(settings.SITE_URL).netloc or "localhost"
        Site.objects.filter(pk=settings.SITE_ID, domain="example.com").update(
            domain=domain, name=settings.SITE_NAME
        )

    def _demo_login(self):
        """An editor who also manages the mailing list, as the partnership's staff are: not a
        superuser (see the README for `make superuser`)."""
        User = get_user_model()
        user, created = User.objects.get_or_create(username=DEMO_USERNAME)
        user.is_staff, user.is_superuser = True, False
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(*Group.objects.filter(name__in=[EDITORS_GROUP, MAILING_LIST_GROUP]))
        if created:
            self.stdout.write(
                self.style.WARNING(
                    f"Demo staff login (DEBUG only): {DEMO_USERNAME} / {DEMO_PASSWORD} "
                    f"at {settings.SITE_URL}/{settings.ADMIN_URL}"
                )
            )
        else:
            self.stdout.write(
                f"Demo staff login exists: {DEMO_USERNAME} (password {DEMO_PASSWORD} "
                "unless someone changed it)"
            )
