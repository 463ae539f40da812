from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/past/", views.event_list, {"past": True}, name="past"),
    path("events/calendar.ics", views.calendar_feed, name="calendar"),
    path("events/calendar/<slug:kind>.ics", views.calendar_feed, name="calendar-kind"),
    path("events/<slug:slug>.ics", views.event_ics, name="ics"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
    path("celebrate-babies-week/", views.campaign_current, name="cbw"),
    path("celebrate-babies-week/<int:year>/", views.campaign_year, name="cbw-year"),
    path(
        "professional-development/",
        views.professional_development,
        name="professional-development",
    ),
]
