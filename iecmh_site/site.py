"""Site-wide views that gather from every app: home, search, sitemaps and robots.txt."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.generic import TemplateView

from events import search as event_search
from events import sitemaps as event_sitemaps
from events.models import Campaign, Event
from iecmh_site.cache import cache_public_page, cache_skip
from iecmh_site.search import SearchHit, clean_query
from iecmh_site.vocabulary import Role
from pages import search as page_search
from pages import sitemaps as page_sitemaps
from pages.models import Page
from reports import search as report_search
from reports import sitemaps as report_sitemaps
from reports.models import Report

SEARCH_PAGE_SIZE = 10
# Each app's search(query) -> [SearchHit]; on equal rank this order decides.
SEARCHES = [page_search.search, report_search.search, event_search.search]


@cache_public_page
def home(request):
    featured_pages = (
        Page.objects.public()
        .filter(show_on_home=True)
        .order_by("navigation_order", "title")
        .only("title", "path", "summary")
    )
    return render(
        request,
        "home.html",
        {
            "roles": Role.objects.all(),
            "featured_pages": featured_pages,
            "featured_report": Report.objects.published().featured().first(),
            "campaign": Campaign.objects.current_or_next(),
            "trainings": Event.objects.published().upcoming().trainings()[:3],
        },
    )


def site_search(query: str) -> list[SearchHit]:
    """Search every app; best matches first (PostgreSQL ranks, SQLite keeps app order)."""
    hits = [hit for search in SEARCHES for hit in search(query)]
    return sorted(hits, key=lambda hit: -hit.rank)


@cache_public_page(params={"q", "page"})
def search(request):
    query = clean_query(request.GET.get("q"))
    if query:
        cache_skip(request)  # visitors type anything: results are not kept
    hits = site_search(query) if query else []
    paginator = Paginator(hits, SEARCH_PAGE_SIZE)
    return render(
        request,
        "search.html",
        {
            "query": query,
            "page_obj": paginator.get_page(request.GET.get("page")),
            "result_count": paginator.count,
            "crumbs": [("Search", request.path)],
        },
    )


class HomeSitemap(Sitemap):
    priority = 1.0
    changefreq = "weekly"

    def items(self):
        return ["/"]

    def location(self, item):
        return item


def _sitemaps() -> dict[str, type[Sitemap]]:
    """Every app's sitemaps, with addresses built from SITE_URL (not the Sites table)."""
    scheme, _, domain = settings.SITE_URL.partition("://")

    class SiteUrl:
        def get_domain(self, site=None):
            return domain

        def get_protocol(self, protocol=None):
            return scheme or "https"

    found = {
        "home": HomeSitemap,
        **page_sitemaps.sitemaps,
        **report_sitemaps.sitemaps,
        **event_sitemaps.sitemaps,
    }
    return {name: type(cls.__name__, (SiteUrl, cls), {}) for name, cls in found.items()}


@cache_public_page
def sitemap_xml(request):
    return sitemap(request, sitemaps=_sitemaps())


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"


robots_txt = cache_public_page(RobotsView.as_view())
