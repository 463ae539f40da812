"""Events and Celebrate Babies Weeks in the site search."""

from events.models import Campaign, Event
from iecmh_site.search import SearchHit, clean_query, text_search


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
        SearchHit(
            title=event.title,
            url=event.get_absolute_url(),
            summary=f"{event.when}. {event.summary}",
            kind="Event",
            date=event.start,
            rank=getattr(event, "search_rank", 0.0),
        )
        for event in events
    ] + [
        SearchHit(
            title=campaign.name,
            url=campaign.get_absolute_url(),
            summary=campaign.summary or campaign.theme,
            kind="Celebrate Babies Week",
            date=campaign.start_date,
            rank=getattr(campaign, "search_rank", 0.0),
        )
        for campaign in campaigns
    ]
    hits.sort(key=lambda hit: hit.rank, reverse=True)
    return hits[:limit]
