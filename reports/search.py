"""Reports in the site search."""

from iecmh_site.search import SearchHit, clean_query, hit_for, text_search
from reports.models import Report

SEARCH_FIELDS = ["title", "subtitle", "summary", "key_findings"]


def search(query: str, *, limit: int = 50) -> list[SearchHit]:
    query = clean_query(query)
    if not query:
        return []
    reports = text_search(Report.objects.published(), query, SEARCH_FIELDS)[:limit]
    return [
        hit_for(
            report,
            kind="Report",
            title=report.full_title,
            summary=report.summary,
            date=report.publication_date,
        )
        for report in reports
    ]
