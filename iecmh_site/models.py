"""Models of the site-wide app, each defined beside the code that uses it (the vocabulary,
rate-limit counters, drafts, the site's identity, the search index) and gathered here for
Django."""

from iecmh_site.drafts import Draft
from iecmh_site.identity import PartnerLogo, SiteSettings, SocialLink
from iecmh_site.ratelimits import RateCounter
from iecmh_site.search import SearchEntry
from iecmh_site.vocabulary import Role

__all__ = [
    "Draft",
    "PartnerLogo",
    "RateCounter",
    "Role",
    "SearchEntry",
    "SiteSettings",
    "SocialLink",
]
