from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from events.models import Campaign, Event


class EventSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Event.objects.published().only("slug", "updated_at").order_by("-start", "pk")

    def lastmod(self, event):
        return event.updated_at


class CampaignSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Campaign.objects.published().only("year", "updated_at").order_by("-year")

    def lastmod(self, campaign):
        return campaign.updated_at


class EventListSitemap(Sitemap):
    """The list pages (no lastmod: the query budget of /sitemap.xml stays constant)."""

    changefreq = "daily"

    def items(self):
        return ["events:list", "events:past", "events:cbw", "events:professional-development"]

    def location(self, name):
        return reverse(name)


sitemaps = {
    "events": EventSitemap,
    "campaigns": CampaignSitemap,
    "event-lists": EventListSitemap,
}
