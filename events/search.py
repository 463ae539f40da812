"""Events and Celebrate Babies Weeks in the site search: both are in the "Events" group."""

from django.utils.translation import gettext, gettext_lazy

from events.models import Campaign, Event
from iecmh_site import dates, search
from iecmh_site.vocabulary import Role

KIND = search.Kind("events", gettext_lazy("Events"), gettext_lazy("event"), gettext_lazy("events"))
CAMPAIGN_LABEL = gettext_lazy("Celebrate Babies Week")


def event_documents(event: Event) -> list[search.Document]:
    """The event in English, and in Spanish once it is translated. Reads the campaign and
    roles search_events() loads."""
    return search.in_languages(event, lambda: _event_document(event))


def _event_document(event: Event) -> search.Document:
    kind = event.get_kind_display()
    status = "" if event.is_going_ahead else event.get_event_status_display()
    keywords = [
        kind,
        # Webinars and conferences are trainings too, to visitors (the Professional
        # development page lists them together).
        gettext("Professional development training")
        if event.kind in Event.PROFESSIONAL_DEVELOPMENT_KINDS
        else "",
        event.get_format_display(),
        status,
        *event.role_labels,
        event.campaign.name if event.campaign else "",
    ]
    body = [
        search.html_text(event.description),
        event.venue_name,
        event.venue_address,
        event.cost_note,
        event.status_note,
        ", ".join(event.competency_labels()),
    ]
    return search.Document(
        title=event.title,
        url=event.get_absolute_url(),
        summary=event.summary,
        keywords=". ".join(filter(None, keywords)),
        body=" ".join(filter(None, body)),
        label=f"{kind}, {status.lower()}" if status else kind,
        date=event.local_date,
        when_text=event.when,
        is_sample=event.is_sample,
    )


def campaign_documents(campaign: Campaign) -> list[search.Document]:
    """The week in English, and in Spanish once it is translated (its theme)."""
    return search.in_languages(campaign, lambda: _campaign_document(campaign))


def _campaign_document(campaign: Campaign) -> search.Document:
    label = str(CAMPAIGN_LABEL)
    return search.Document(
        title=campaign.name,
        url=campaign.get_absolute_url(),
        summary=campaign.summary or campaign.theme,
        keywords=". ".join(filter(None, [label, campaign.theme, str(campaign.year)])),
        body=" ".join(
            [search.html_text(campaign.description), search.html_text(campaign.how_to_join)]
        ),
        label=label,
        date=campaign.start_date,
        when_text=dates.date_range(campaign.start_date, campaign.end_date),
        is_sample=campaign.is_sample,
    )


def search_events():
    return Event.objects.select_related("campaign").with_role_list()


def register() -> None:
    search.register(
        search.Source(
            kind=KIND,
            model=Event,
            documents=event_documents,
            queryset=search_events,
            public=Event.objects.published,
            related={
                Campaign: lambda campaign: campaign.events.values_list("pk", flat=True),
                Role: lambda role: role.events.values_list("pk", flat=True),
            },
        )
    )
    search.register(
        search.Source(
            kind=KIND,
            model=Campaign,
            documents=campaign_documents,
            queryset=Campaign.objects.all,
            public=Campaign.objects.published,
        )
    )
