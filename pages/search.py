from importlib import import_module

from iecmh_site.search import SearchHit, text_search
from pages.models import Page

# Apps whose search.py contributes to site search, in the order ties are shown.
SEARCH_APPS = ["pages", "reports", "events"]


def search(query: str, *, limit: int = 50) -> list[SearchHit]:
    pages = text_search(Page.objects.public(), query, ["title", "summary", "body"])
    return [
        SearchHit(
            title=page.title,
            url=page.get_absolute_url(),
            summary=page.summary,
            kind="Page",
            date=page.updated_at,
            rank=getattr(page, "search_rank", 0.0),
        )
        for page in pages.only("title", "path", "summary", "updated_at")[:limit]
    ]


def site_search(query: str) -> list[SearchHit]:
    """Search every app; best matches first (PostgreSQL ranks, SQLite keeps app order)."""
    hits = []
    for label in SEARCH_APPS:
        try:
            module = import_module(f"{label}.search")
        except ModuleNotFoundError:
            continue
        hits.extend(module.search(query))
    return sorted(hits, key=lambda hit: -hit.rank)
