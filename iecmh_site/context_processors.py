from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from iecmh_site.identity import identity
from pages.models import Page

# App sections (title, URL name), after the pages in the primary navigation.
APP_SECTIONS = [
    ("Professional development", "events:professional-development"),
    ("Reports", "reports:list"),
    ("Celebrate Babies Week", "events:cbw"),
    ("Events", "events:list"),
]


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "ADMIN_URL": settings.ADMIN_URL,
        "identity": SimpleLazyObject(identity),
    }


def navigation(request):
    """Primary navigation: published top-level pages marked for it, then the app sections."""
    pages = Page.objects.published().in_navigation().filter(parent=None).only("title", "path")
    items = [(page.title, page.get_absolute_url()) for page in pages]
    items += [(title, reverse(name)) for title, name in APP_SECTIONS]
    path = request.path
    return {
        "nav_items": [
            {"title": title, "url": url, "current": path == url, "active": path.startswith(url)}
            for title, url in items
        ]
    }
