"""Reports in site search."""

from iecmh_site.search import SearchHit, clean_query, text_search
from reports.models import Report

SEARCH_FIELDS = ["title", "subtitle", "summary", "key_findings"]


def search(query: str, *, limit: int = 50) -> list[SearchHit]:
    query = clean_query(query)
    if not query:
        return []
    reports = text_search(Report.objects.published(), query, SEARCH_FIELDS)[:limit]
    return [
        SearchHit(
            title=report.full_title,
            url=report.get_absolute_url(),
            summary=report.summary,
            kind="Report",
            date=report.publication_date,
            rank=getattr(report, "search_rank", 0.0) or 0.0,
        )
        for report in reports
    ]
