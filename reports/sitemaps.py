from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from reports.models import Report


class ReportListSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return ["reports:list"]

    def location(self, item):
        return reverse(item)


class ReportSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Report.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, report):
        return report.updated_at


sitemaps = {"reports-list": ReportListSitemap, "reports": ReportSitemap}
