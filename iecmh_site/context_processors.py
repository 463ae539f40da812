from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from iecmh_site.cache import generation, generation_cached
from iecmh_site.identity import identity
from pages.models import Page

# App sections (title, URL name), after the pages in the primary navigation.
APP_SECTIONS = [
    (_("Professional development"), "events:professional-development"),
    (_("Reports"), "reports:list"),
    (_("Celebrate Babies Week"), "events:cbw"),
    (_("Events"), "events:list"),
]


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "ADMIN_URL": settings.ADMIN_URL,
        "identity": SimpleLazyObject(identity),
        # The generation of saved content, for fragments kept until the next save (the
        # footer): a function, which a template calls only where it reads it.
        "content_generation": generation,
    }


def _navigation_items() -> list[tuple[str, str]]:
    """(title, URL) of the navigation in the active language."""
    pages = Page.objects.published().in_navigation().filter(parent=None)
    items = [(page.title, page.get_absolute_url()) for page in pages]
    return items + [(str(title), reverse(name)) for title, name in APP_SECTIONS]


def navigation(request):
    """Primary navigation: published top-level pages marked for it, then the app sections."""
    # Cached until the next save; a page published at its scheduled time appears as soon as
    # it would on a cached page.
    items = generation_cached("navigation", _navigation_items, changes_with_time=True)
    path = request.path
    return {
        "nav_items": [
            {"title": title, "url": url, "current": path == url, "active": path.startswith(url)}
            for title, url in items
        ]
    }


def languages(request):
    """The page in each language, for the switcher and the hreflang alternates.

    Only pages with a Spanish address (under i18n_patterns) have alternates; the admin and
    the feeds of one language have none. The URL decides the language, so a cached page's
    switcher is right for every visitor.
    """
    current = translation.get_language()
    alternates = []
    for code, name in settings.LANGUAGES:
        url = translate_url(request.path, code)
        alternates.append({"code": code, "name": name, "url": url, "current": code == current})
    if len({alternate["url"] for alternate in alternates}) < len(alternates):
        alternates = []  # not a page that exists in both languages
    query = request.META.get("QUERY_STRING", "")
    return {
        "LANGUAGE_CODE": current,
        "language_alternates": alternates,
        "language_switch": [
            {**alternate, "url": f"{alternate['url']}?{query}" if query else alternate["url"]}
            for alternate in alternates
            if not alternate["current"]
        ],
    }
