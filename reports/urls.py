from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("feed/", views.ReportFeed(), name="feed"),
    path("<slug:slug>/", views.report_detail, name="detail"),
    path("<slug:slug>/download/", views.report_download, name="download"),
]
