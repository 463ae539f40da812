from datetime import date

from django.urls import path, register_converter

from events import views


class IsoDateConverter:
    """A day as 2025-10-22; one that does not exist (2025-02-30) is a 404."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # its ValueError makes the URL not match

    def to_url(self, value: date) -> str:
        return value.isoformat()


register_converter(IsoDateConverter, "isodate")

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
    path("celebrate-babies-week/<int:year>/<isodate:day>/", views.campaign_day, name="cbw-day"),
    path(
        "professional-development/",
        views.professional_development,
        name="professional-development",
    ),
]
