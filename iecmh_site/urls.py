from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from iecmh_site import site, views

admin.site.site_header = "IECMH Workforce Partnership: site administration"
admin.site.site_title = "IECMH Workforce admin"
admin.site.index_title = "Edit the website"

handler403 = "iecmh_site.views.permission_denied"
handler500 = "iecmh_site.views.server_error"

urlpatterns = [
    path(f"{settings.ADMIN_URL}login/", views.admin_login),
    path(f"{settings.ADMIN_URL}link-targets/", site.link_targets, name="link-targets"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("sitemap.xml", site.sitemap_xml, name="sitemap"),
    path("sitemap-<slug:section>.xml", site.sitemap_section, name="sitemap-section"),
    path("robots.txt", site.robots_txt, name="robots"),
    path("favicon.ico", views.favicon),
    re_path(r"^media/(?P<path>.+)$", views.media, name="media"),
]
# What visitors read: English at today's URLs, Spanish under /es/ (the same paths after it).
urlpatterns += i18n_patterns(
    path("", site.home, name="home"),
    path("search/", site.search, name="search"),
    re_path(r"^link/(?P<kind>[a-z]+)/(?P<pk>[0-9]{1,18})/$", site.stable_link, name="stable-link"),
    path("reports/", include("reports.urls")),
    path("newsletter/", include("newsletter.urls")),
    path("", include("events.urls")),  # /events/, /celebrate-babies-week/, ...
    # Last: pages own every other path (/our-work/, /the-efforts/training/, ...).
    path("", include("pages.urls")),
    prefix_default_language=False,
)
