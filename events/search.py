"""Events and Celebrate Babies Weeks in the site search."""

from events.models import Campaign, Event
from iecmh_site.search import SearchHit, clean_query, hit_for, text_search


def search(query: str, *, limit: int = 50) -> list[SearchHit]:
    query = clean_query(query)
    if not query:
        return []
    events = text_search(
        Event.objects.published(), query, ["title", "summary", "description", "venue_name"]
    )[:limit]
    campaigns = text_search(
        Campaign.objects.published(), query, ["name", "theme", "summary", "description"]
    )[:limit]
    hits = [
        hit_for(
            event,
            kind="Event",
            title=event.title,
            summary=f"{event.when}. {event.summary}",
            date=event.start,
        )
        for event in events
    ] + [
        hit_for(
            campaign,
            kind="Celebrate Babies Week",
            title=campaign.name,
            summary=campaign.summary or campaign.theme,
            date=campaign.start_date,
        )
        for campaign in campaigns
    ]
    hits.sort(key=lambda hit: hit.rank, reverse=True)
    return hits[:limit]
