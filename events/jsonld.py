"""schema.org Event data for an event page and a week page (serialized by iecmh_site.jsonld)."""

from events.calendars import absolute_url, content_language
from events.models import Campaign, Event, EventMaterial, EventStatus
from iecmh_site.vocabulary import Partner

ORGANIZATIONS = {
    Partner.MSPCC: {
        "@type": "Organization",
        "name": "Massachusetts Society for the Prevention of Cruelty to Children (MSPCC)",
        "url": "https://www.mspcc.org/",
    },
    Partner.MASSAIMH: {
        "@type": "Organization",
        "name": "Massachusetts Association for Infant Mental Health (MassAIMH)",
        "url": "https://www.massaimh.org/",
    },
}
EVENT_STATUS = {
    EventStatus.GOING_AHEAD: "https://schema.org/EventScheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
}
ATTENDANCE_MODE = {
    Event.Format.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Event.Format.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Event.Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def _dates(event: Event) -> tuple[str, str]:
    if event.all_day:
        return event.local_start.date().isoformat(), event.local_end.date().isoformat()
    return event.local_start.isoformat(), event.local_end.isoformat()


def event_data(event: Event) -> dict:
    start, end = _dates(event)
    url = absolute_url(event.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "url": url,
        # The language of the text above: English for an event not yet translated.
        "inLanguage": content_language(event),
        "startDate": start,
        "endDate": end,
        "eventStatus": EVENT_STATUS[event.event_status],
        "eventAttendanceMode": ATTENDANCE_MODE[event.format],
        "isAccessibleForFree": event.is_free,
        "offers": {
            "@type": "Offer",
            "price": f"{event.price:.2f}",
            "priceCurrency": "USD",
            "url": event.registration_url or url,
            "availability": "https://schema.org/InStock",
        },
    }
    locations = []
    if event.is_in_person:
        place = {"@type": "Place", "name": event.venue_name}
        if event.venue_address:
            place["address"] = event.venue_address
        locations.append(place)
    if event.is_online:
        locations.append(
            {"@type": "VirtualLocation", "url": event.joining_url or event.registration_url}
        )
    data["location"] = locations[0] if len(locations) == 1 else locations
    if event.partner == Partner.BOTH:
        data["organizer"] = list(ORGANIZATIONS.values())
    else:
        data["organizer"] = ORGANIZATIONS[event.partner]
    if event.role_list:
        data["audience"] = [
            {"@type": "Audience", "audienceType": label} for label in event.role_labels
        ]
    campaign = event.campaign
    if campaign is not None:
        data["superEvent"] = {
            "@type": "Event",
            "name": campaign.name,
            "startDate": campaign.start_date.isoformat(),
            "endDate": campaign.end_date.isoformat(),
            "url": absolute_url(campaign.get_absolute_url()),
        }
        hero = campaign.hero_picture
        if hero is not None:
            data["image"] = absolute_url(hero.src)
    # schema.org's recordedIn fits a recording; it has no property for an event's slides or
    # handouts (workFeatured and subjectOf mean other things), so those stay on the page only.
    recordings = [
        {"@type": "CreativeWork", "name": material.title, "url": material.url}
        for material in (event.materials.all() if event.is_past else [])
        if material.kind == EventMaterial.Kind.RECORDING
    ]
    if recordings:
        data["recordedIn"] = recordings[0] if len(recordings) == 1 else recordings
    return data


def campaign_data(campaign: Campaign, events) -> dict:
    """The week as an Event across Massachusetts, with the published, real activities its
    page shows (each day's first; every activity's own page names the week as its
    superEvent)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": campaign.name,
        "url": absolute_url(campaign.get_absolute_url()),
        "inLanguage": content_language(campaign),
        "startDate": campaign.start_date.isoformat(),
        "endDate": campaign.end_date.isoformat(),
        "eventStatus": EVENT_STATUS[EventStatus.GOING_AHEAD],
        "location": {
            "@type": "Place",
            "name": "Massachusetts",
            "address": {
                "@type": "PostalAddress",
                "addressRegion": "MA",
                "addressCountry": "US",
            },
        },
        "organizer": list(ORGANIZATIONS.values()),
    }
    if campaign.summary:
        data["description"] = campaign.summary
    hero = campaign.hero_picture
    if hero is not None:
        data["image"] = absolute_url(hero.src)
    sub_events = [
        {
            "@type": "Event",
            "name": event.title,
            "url": absolute_url(event.get_absolute_url()),
            "startDate": _dates(event)[0],
            "inLanguage": content_language(event),
        }
        for event in events
        if event.is_published and not event.is_sample
    ]
    if sub_events:
        data["subEvent"] = sub_events
    return data
