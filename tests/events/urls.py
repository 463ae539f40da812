"""The site URLs with every events URL mounted as the integrator will (events/root_urls.py)."""

from django.urls import include, path

from iecmh_site import urls as site_urls

site_patterns = [
    pattern for pattern in site_urls.urlpatterns if getattr(pattern, "namespace", None) != "events"
]

urlpatterns = [
    *site_patterns[:-1],
    path("", include("events.root_urls")),
    site_patterns[-1],  # the pages catch-all stays last
]
handler500 = site_urls.handler500
