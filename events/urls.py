from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("past/", views.event_list, {"past": True}, name="past"),
    # Before <slug>.ics: "calendar" is a reserved slug.
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("calendar/<slug:kind>.ics", views.calendar_feed, name="calendar-kind"),
    path("<slug:slug>.ics", views.event_ics, name="ics"),
    path("<slug:slug>/", views.event_detail, name="detail"),
]

# Mounted at the site root by the integrator, in the same "events" namespace.
top_urlpatterns = [
    path("celebrate-babies-week/", views.campaign_current, name="cbw"),
    path("celebrate-babies-week/<int:year>/", views.campaign_year, name="cbw-year"),
    path(
        "professional-development/",
        views.professional_development,
        name="professional-development",
    ),
]
