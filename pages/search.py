"""Pages in the site search."""

from iecmh_site.search import SearchHit, hit_for, text_search
from pages.models import Page


def search(query: str, *, limit: int = 50) -> list[SearchHit]:
    pages = text_search(Page.objects.public(), query, ["title", "summary", "body"])
    pages = pages.only("title", "path", "summary", "updated_at")[:limit]
    return [
        hit_for(page, kind="Page", title=page.title, summary=page.summary, date=page.updated_at)
        for page in pages
    ]
