"""The contracts the rest of the site uses: search, sitemap, demo data, home partial."""

import io

import pytest
from django.template.loader import render_to_string

from reports import demo
from reports.models import Report
from reports.search import search
from reports.sitemaps import ReportListSitemap, ReportSitemap
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def test_search_finds_published_reports_only():
    make_report("Workforce mapping", summary="Strengths and barriers of the workforce.")
    make_report("Workforce draft", status=Report.Status.DRAFT)

    hits = search("barriers")

    assert [hit.title for hit in hits] == ["Workforce mapping"]
    assert hits[0].kind == "Report"
    assert hits[0].url == "/reports/workforce-mapping/"
    assert search("   ") == []


def test_sitemaps_list_published_reports_with_lastmod():
    report = make_report("Public")
    make_report("Draft", status=Report.Status.DRAFT)

    assert list(ReportSitemap().items()) == [report]
    assert ReportSitemap().lastmod(report) == report.updated_at
    assert ReportListSitemap().location("reports:list") == "/reports/"


def test_demo_is_idempotent_and_does_not_overwrite_edits():
    demo.seed(stdout=io.StringIO())
    flagship = Report.objects.get(slug=demo.FLAGSHIP_SLUG)
    flagship.summary = "Edited by staff."
    flagship.save()

    demo.seed(stdout=io.StringIO())

    assert Report.objects.count() == len(demo.REPORTS)
    flagship.refresh_from_db()
    assert flagship.summary == "Edited by staff."
    assert Report.objects.published().featured().first() == flagship
    assert flagship.pdf_accessible and flagship.cover
    assert [o.name for o in flagship.funders()] == ["The Boston Foundation"]
    assert len({report.publication_date.year for report in Report.objects.all()}) >= 3


def test_new_release_partial(tagged_pdf):
    report = make_report("The mapping", pdf=tagged_pdf, featured=True)

    html = render_to_string("reports/includes/_new_release.html", {"report": report})

    assert "New release" in html
    assert "Read the report" in html
    assert report.get_absolute_url() in html
    assert report.cover.url in html
