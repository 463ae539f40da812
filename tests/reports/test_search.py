import pytest

from reports.search import search
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def test_search_finds_published_reports_only():
    make_report("Workforce mapping", summary="Strengths and barriers of the workforce.")
    make_report("Workforce draft", publish_at=None)

    hits = search("barriers")

    assert [hit.title for hit in hits] == ["Workforce mapping"]
    assert hits[0].kind == "Report"
    assert hits[0].url == "/reports/workforce-mapping/"
    assert search("   ") == []
