"""All of the events app's URLs in one "events" namespace, for inclusion at the site root.

Including events.urls at /events/ and its top_urlpatterns at / as two includes with the
same namespace makes the second hide the first when reversing (Django's urls.W005).
"""

from django.urls import include, path

from events.urls import top_urlpatterns
from events.urls import urlpatterns as prefixed_urlpatterns

app_name = "events"

urlpatterns = [
    path("events/", include(prefixed_urlpatterns)),
    *top_urlpatterns,
]
