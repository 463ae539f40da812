"""Every app's sitemap, served together at /sitemap.xml, with addresses from SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings

from events.sitemaps import sitemaps as event_sitemaps
from pages.sitemaps import HomeSitemap, PageSitemap
from reports.sitemaps import sitemaps as report_sitemaps


class SiteUrlMixin:
    """Build absolute URLs from settings.SITE_URL, not from the Sites table or the request."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"


def _with_site_url(sitemap_class):
    return type(sitemap_class.__name__, (SiteUrlMixin, sitemap_class), {})


SITEMAPS = {
    name: _with_site_url(sitemap_class)
    for name, sitemap_class in {
        "home": HomeSitemap,
        "pages": PageSitemap,
        **report_sitemaps,
        **event_sitemaps,
    }.items()
}
