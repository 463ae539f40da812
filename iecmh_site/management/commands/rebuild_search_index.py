from django.core.management.base import BaseCommand
from django.db.models import Count

from iecmh_site import search


class Command(BaseCommand):
    help = (
        "Index every page, report and event for the site search afresh, in each language it "
        "is written in (saving content keeps the index current; run this after loaddata, a "
        "bulk import or a raw SQL change)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=None, help="The database to index.")

    def handle(self, *args, database=None, **options):
        count = search.rebuild(database)
        if options["verbosity"]:
            by_language = (
                search.SearchEntry.objects.using(database or search.router_db())
                .values_list("language")
                .annotate(entries=Count("id"))
                .order_by("language")
            )
            languages = ", ".join(f"{language}: {entries}" for language, entries in by_language)
            self.stdout.write(
                self.style.SUCCESS(f"Search index rebuilt: {count} entries ({languages}).")
            )
