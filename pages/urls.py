from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path

from iecmh_site.sitemaps import SITEMAPS
from pages import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("robots.txt", views.RobotsView.as_view(), name="robots"),
    # Cached and compressed by the site's public page cache, like every public page.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Last: any other path is a page's path of slugs.
    re_path(r"^(?P<page_path>[-a-z0-9_/]+)/$", views.page_detail, name="detail"),
]
