from django.urls import path

from iecmh_site.cache import cache_public_page
from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("feed/", cache_public_page(views.ReportFeed()), name="feed"),
    path("<slug:slug>/", views.report_detail, name="detail"),
    path("<slug:slug>/download/", views.report_download, name="download"),
    path(
        "<slug:slug>/cover/<str:version>/<int:width>.webp",
        views.report_cover,
        name="cover",
    ),
]
