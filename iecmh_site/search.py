"""Site search helpers shared by the apps: one result shape and one matching rule."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.db.models import Q, QuerySet

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    summary: str
    kind: str  # shown to the visitor: "Page", "Report", "Event"
    date: date | datetime | None = None
    rank: float = 0.0


def hit_for(obj, *, kind: str, title: str, summary: str, date=None) -> SearchHit:
    """The search result for a model instance, ranked as text_search ranked it."""
    return SearchHit(
        title=title,
        url=obj.get_absolute_url(),
        summary=summary,
        kind=kind,
        date=date,
        rank=getattr(obj, "search_rank", 0.0) or 0.0,
    )


def clean_query(raw: str | None) -> str:
    """Normalize a visitor's query: trimmed, single-spaced, bounded, printable."""
    text = "".join(ch for ch in (raw or "") if ch.isprintable())
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def text_search(queryset: QuerySet, query: str, fields: list[str]) -> QuerySet:
    """Filter ``queryset`` to rows matching ``query`` in ``fields``.

    PostgreSQL: full-text search (English stemming, ranked). Elsewhere: every word must
    appear (case-insensitively) in at least one of the fields.
    """
    query = clean_query(query)
    if not query:
        return queryset.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(*fields, config="english")
        search_query = SearchQuery(query, config="english", search_type="websearch")
        return (
            queryset.annotate(search_document=vector)
            .filter(search_document=search_query)
            .annotate(search_rank=SearchRank(vector, search_query))
            .order_by("-search_rank")
        )
    condition = Q()
    for word in query.split()[:10]:
        word_condition = Q()
        for field in fields:
            word_condition |= Q(**{f"{field}__icontains": word})
        condition &= word_condition
    return queryset.filter(condition)
