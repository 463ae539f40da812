from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from iecmh_site import views

admin.site.site_header = "IECMH Workforce Partnership: site administration"
admin.site.site_title = "IECMH Workforce admin"
admin.site.index_title = "Edit the website"

handler500 = "iecmh_site.views.server_error"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("favicon.ico", views.favicon),
    re_path(r"^media/(?P<path>.+)$", views.media, name="media"),
    path("reports/", include("reports.urls")),
    path("", include("events.root_urls")),  # /events/, /celebrate-babies-week/, ...
    path("newsletter/", include("newsletter.urls")),
    # Last: pages own every other path (/our-work/, /the-efforts/training/, ...).
    path("", include("pages.urls")),
]
