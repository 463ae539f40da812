from django.urls import re_path

from pages import views

app_name = "pages"

urlpatterns = [
    # Mounted last by the site's URLconf: any other path is a page's path of slugs.
    re_path(r"^(?P<page_path>[-a-z0-9_/]+)/$", views.page_detail, name="detail"),
]
