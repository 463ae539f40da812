import pytest

from reports.sitemaps import ReportListSitemap, ReportSitemap
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def test_sitemaps_list_published_reports_with_lastmod():
    report = make_report("Public")
    make_report("Draft", publish_at=None)

    assert list(ReportSitemap().items()) == [report]
    assert ReportSitemap().lastmod(report) == report.updated_at
    assert ReportListSitemap().location("reports:list") == "/reports/"
