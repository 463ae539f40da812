"""Writes with side effects on other rows or files: moving pages, hero renditions."""

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.db import transaction

from iecmh_site.tasks import hero_picture_save
from pages import search
from pages.models import Page


@transaction.atomic
def page_save(*, page: Page, previous_path: str | None, hero_changed: bool = False) -> Page:
    """Save a page; when its address changed, move its descendants and keep old links working.

    A new picture is processed by a background job.
    """
    hero_picture_save(page, changed=hero_changed)
    if previous_path and previous_path != page.path:
        _move_descendants(old_prefix=previous_path, new_prefix=page.path)
    return page


def _move_descendants(*, old_prefix: str, new_prefix: str) -> None:
    moved = [(old_prefix, new_prefix)]
    descendants = list(Page.objects.filter(path__startswith=f"{old_prefix}/"))
    for descendant in descendants:
        old_path = descendant.path
        descendant.path = new_prefix + old_path[len(old_prefix) :]
        moved.append((old_path, descendant.path))
    Page.objects.bulk_update(descendants, ["path"])
    search.pages_moved([descendant.pk for descendant in descendants])  # no save signals

    site = Site.objects.get(pk=settings.SITE_ID)
    for old_path, new_path in moved:
        old_url, new_url = f"/{old_path}/", f"/{new_path}/"
        # A page moved back to an old address must not redirect away from itself.
        Redirect.objects.filter(site=site, old_path=new_url).delete()
        # Earlier redirects to the old address now point straight at the new one.
        Redirect.objects.filter(site=site, new_path=old_url).update(new_path=new_url)
        Redirect.objects.update_or_create(
            site=site, old_path=old_url, defaults={"new_path": new_url}
        )
