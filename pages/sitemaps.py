from django.contrib.sitemaps import Sitemap

from pages.models import Page


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Page.objects.public().only("path", "updated_at").order_by("path")

    def lastmod(self, page):
        return page.updated_at


sitemaps = {"pages": PageSitemap}
